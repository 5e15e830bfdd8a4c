// The Raft lesson: each step opens a gallery scenario and asks the learner to try something.
// What each text says about its run, and what its "Try" promises, is pinned in lesson.test.ts.
import type { LessonStep } from "../types.ts";

/** Every safety rule on: what a step's fix writes to params.rules (set replaces the whole object). */
const ALL_RULES_ON = { electionRestriction: true, currentTermCommit: true, persistVote: true };

export const lesson: LessonStep[] = [
  {
    title: "The first election",
    scenario: "first-election",
    text:
      "Every node starts as a follower with a randomized election timer (the draining ring). n5's runs out first, at 0.16 s: it asks for votes for term 1, " +
      "wins 3 of 5, and its heartbeats keep the others waiting. Try: send a command to a follower and watch it go to n5, then to every log, then commit.",
  },
  {
    title: "The leader crashes",
    scenario: "leader-crash",
    text:
      "At 2 s the leader n5 crashes. Term 2 splits; n1 wins term 3 at 2.5 s and commits \"set x=2\", and n5, back at 5 s with its log, follows it. " +
      "Try: before 5 s, crash n1 too and send a command: with two of five down, the other three elect a leader and commit it. Crash that leader as well and nothing commits: until n5 is back, no one can get three votes.",
  },
  {
    title: "A split vote",
    scenario: "split-vote",
    text:
      "Three of the four nodes time out within 35 ms and stand for term 1: n3 gets 2 votes, n1 and n4 one each, and a leader needs 3. " +
      "Term 2 splits 2–1–1 too; each time the timers are drawn afresh, and n1 wins term 3 at 0.7 s. " +
      "Try: go back to 0 s and narrow the election timeout to 150–175 ms: terms 1 to 5 all split, and the first leader, n3, wins only term 6, at 1.04 s.",
  },
  {
    title: "The leader in a minority",
    scenario: "isolated-leader",
    text:
      "n5 leads, then at 2 s is cut off with n1. It still believes it leads and accepts \"set x=lost\", but with 2 of 5 it can never commit it. " +
      "The other three need all three votes: after seven split terms n3 wins term 9 and commits \"set x=kept\"; on heal at 5.5 s n5 steps down and its entry is overwritten. " +
      "Try: pause at 3 s and drag n1 over to the majority: its log is the most up to date, so n1 wins and \"set x=lost\" commits after all.",
  },
  {
    title: "A follower far behind",
    scenario: "catch-up",
    text:
      "n1 is down from 0.5 s while ten commands commit on the other four. The leader n5 never heard from it, so its nextIndex for n1 is still 1: " +
      "when n1 restarts at 4 s, the next AppendEntries brings all ten entries at once. " +
      "Try: crash n5 as well between 3 s and 4 s: the new leader assumes n1 has all ten, n1 rejects its AppendEntries, and the leader moves nextIndex back to 1 and sends them.",
  },
  {
    title: "Figure 8, with the commit rule off",
    scenario: "figure-8",
    text:
      "The rule that a leader only counts replicas of entries from its own term is off. n1, leader of term 14, copies its term-3 entry \"set x=1\" to n3 and commits it; " +
      "then n5, whose last entry is from term 7, wins term 18 and overwrites it. The checker flags two violations: Leader Completeness and State Machine Safety. " +
      "Try: switch the rule back on and replay: n1 never commits the old entry, so nothing committed is lost.",
    fix: { label: "Switch the current-term commit rule back on", set: [{ path: "params.rules", value: ALL_RULES_ON }] },
  },
  {
    title: "Voting for a stale log",
    scenario: "no-election-restriction",
    text:
      "With the election restriction off, n5, cut off from the start, runs its term up to 14. On heal at 3 s the others vote for it though its log is empty, " +
      "and its \"set x=stale\" overwrites two committed commands: the checker flags two violations. " +
      "Try: switch the restriction back on and replay: n5's high term still forces an election, but only an up-to-date node, n4, can win it.",
    fix: { label: "Switch the election restriction back on", set: [{ path: "params.rules", value: ALL_RULES_ON }] },
  },
  {
    title: "A vote forgotten in a crash",
    scenario: "forgotten-vote",
    text:
      "votedFor is not kept across a crash here. n3 votes for n1, crashes, comes back and votes for n2 in the same term: two leaders in term 1, which Election Safety forbids. " +
      "Try: keep votedFor persistent and replay: n3 refuses n2, and term 1 has one leader.",
    fix: { label: "Persist votedFor again", set: [{ path: "params.rules", value: ALL_RULES_ON }] },
  },
];
