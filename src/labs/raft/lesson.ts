// The Raft lesson: each step opens a gallery scenario and asks the learner to try something.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "The first election",
    scenario: "first-election",
    text:
      "Every node starts as a follower with a randomized election timer (the draining ring). The first to run out becomes a candidate and asks for votes; " +
      "with a majority it leads, and its heartbeats keep the others waiting. Try: type a command for a follower and watch it go to the leader, then to every log, then commit.",
  },
  {
    title: "The leader crashes",
    scenario: "leader-crash",
    text: "At 2 s the leader n5 crashes. Watch the followers' rings: the first to run out starts an election for the next term. Try: crash the new leader too — with three of five nodes down, can anything commit?",
  },
  {
    title: "A split vote",
    scenario: "split-vote",
    text: "Four nodes time out close together: two candidates get two votes each and nobody wins term 1. Their timers are drawn again at random, and a later term elects a leader. Try: narrow the election timeout range and watch splits repeat.",
  },
  {
    title: "The leader in a minority",
    scenario: "isolated-leader",
    text: "n5 leads, then is cut off with n1. It still believes it leads and accepts \"set x=lost\" — but it can never commit it. The majority elects a new leader that commits \"set x=kept\". On heal n5 steps down and its entry is overwritten. Try: drag n1 over to the majority side before the heal.",
  },
  {
    title: "A follower far behind",
    scenario: "catch-up",
    text: "n1 is down while ten commands commit. When it restarts, the leader's AppendEntries fail the consistency check; the leader walks nextIndex back and sends the missing entries. Try: crash n1 again halfway through and restart it.",
  },
  {
    title: "Figure 8, with the commit rule off",
    scenario: "figure-8",
    text: "The rule that a leader only counts replicas of entries from its own term is switched off. An entry from term 3 reaches a majority in term 14 and is committed — then a node with a newer last entry wins and overwrites it. The checker flags the lost entry. Try: switch the rule back on and replay.",
  },
  {
    title: "Voting for a stale log",
    scenario: "no-election-restriction",
    text: "With the election restriction off, nodes vote for n5 though its log is empty, and it overwrites two committed commands. Try: turn the restriction on — n5's high term still forces an election, but only an up-to-date node can win it.",
  },
  {
    title: "A vote forgotten in a crash",
    scenario: "forgotten-vote",
    text: "votedFor is not kept across a crash here. n3 votes for n1, crashes, comes back and votes for n2 in the same term: two leaders in term 1, which Election Safety forbids. Try: keep votedFor persistent and replay.",
  },
];
