// Gallery scenarios for the Raft lab; each is a lesson step. Seeds are pinned, and so are the
// outcomes (who leads, what commits): scenarios.test.ts.

import { scenario } from "../../scenario/build.ts";
import type { Action } from "../../scenario/types.ts";

const cmd = (t: number, node: string, seq: number, op: string): Action => ({ t, do: "command", node, cmd: { client: "c1", seq, op } });

export const scenarios = [
  // Five followers, randomized timeouts: n5 times out first, asks for votes, wins a majority,
  // and from then on its heartbeats keep the others from timing out. A command sent to a
  // follower is forwarded to the leader, replicated, committed and applied everywhere.
  scenario({
    lab: "raft",
    name: "first-election",
    title: "The first election",
    seed: 3,
    until: 6_000,
    nodes: 5,
    timeline: [cmd(1_000, "n2", 1, "set x=3"), cmd(1_200, "n4", 2, "set y=4")],
  }),
  // The leader n5 crashes. Its followers stop hearing heartbeats; the first to time out wins
  // the next term with the remaining majority, and commands commit again. When n5 comes back
  // it keeps its log (persistent), hears the new term and follows.
  scenario({
    lab: "raft",
    name: "leader-crash",
    title: "The leader crashes",
    seed: 3,
    until: 8_000,
    nodes: 5,
    timeline: [
      cmd(1_000, "n2", 1, "set x=1"),
      { t: 2_000, do: "crash", node: "n5" },
      cmd(3_500, "n3", 2, "set x=2"),
      { t: 5_000, do: "restart", node: "n5" },
      cmd(6_000, "n1", 3, "set y=3"),
    ],
  }),
  // Four nodes whose timers run out close together: in term 1 three candidates split the votes
  // 2–1–1 and none reaches 3; term 2 splits too, and n1 wins term 3 (lesson.test.ts pins it).
  scenario({
    lab: "raft",
    name: "split-vote",
    title: "A split vote",
    seed: 4,
    until: 4_000,
    nodes: 4,
  }),
  // The leader n5 is cut off with n1, a minority. It keeps believing it leads, accepts a
  // command, and can never commit it. The majority elects a new leader, which commits. On heal
  // n5 hears the higher term, steps down, and its uncommitted entry is overwritten.
  scenario({
    lab: "raft",
    name: "isolated-leader",
    title: "The leader in a minority",
    seed: 3,
    until: 8_000,
    nodes: 5,
    timeline: [
      cmd(1_000, "n2", 1, "set x=1"),
      { t: 2_000, do: "partition", groups: [["n5", "n1"], ["n2", "n3", "n4"]] },
      cmd(2_500, "n5", 2, "set x=lost"),
      cmd(4_000, "n3", 3, "set x=kept"),
      { t: 5_500, do: "heal" },
    ],
  }),
  // n1 is down while ten commands commit. When it restarts its log is ten entries short; the
  // leader never heard from it, so its nextIndex for n1 is still 1 and the first AppendEntries
  // carries all ten. (A leader elected after the commits starts at its own log's end, is
  // rejected and walks nextIndex back: the lesson's Try.)
  scenario({
    lab: "raft",
    name: "catch-up",
    title: "A follower far behind",
    seed: 3,
    until: 7_000,
    nodes: 5,
    timeline: [
      { t: 500, do: "crash", node: "n1" },
      ...Array.from({ length: 10 }, (_, k) => cmd(1_000 + 200 * k, k % 2 ? "n3" : "n2", k + 1, `set k${k + 1}=${k + 1}`)),
      { t: 4_000, do: "restart", node: "n1" },
    ],
  }),
  // Figure 8, with the current-term commit rule off (§5.4.2). n2 leads term 3 and gets an
  // entry onto n1 and n2 only; n5 leads term 7 alone and writes a different entry at index 1;
  // n1 leads term 14 and copies its term-3 entry to n3 — now on a majority, and with the rule
  // off n1 commits and applies it. Then n5 wins term 18 (its last entry, term 7, is newer)
  // and overwrites index 1 everywhere: a committed entry is lost, and two nodes have applied
  // different commands at index 1. With the rule on, n1 would not count replicas of a term-3
  // entry in term 14, and nothing is lost.
  scenario({
    lab: "raft",
    name: "figure-8",
    title: "Figure 8: committing an old term's entry",
    seed: 3,
    until: 7_000,
    nodes: 5,
    params: { rules: { currentTermCommit: false } },
    timeline: [
      { t: 0, do: "partition", groups: [["n1", "n2", "n3"], ["n4"], ["n5"]] },
      { t: 1_000, do: "partition", groups: [["n1", "n2"], ["n3"], ["n4"], ["n5"]] },
      cmd(1_100, "n1", 1, "set x=1"),
      { t: 1_500, do: "crash", node: "n1" },
      { t: 1_500, do: "partition", groups: [["n3", "n4", "n5"], ["n1"], ["n2"]] },
      { t: 2_500, do: "partition", groups: [["n5"], ["n3", "n4"], ["n1"], ["n2"]] },
      cmd(2_600, "n5", 2, "set x=2"),
      { t: 3_000, do: "crash", node: "n5" },
      { t: 3_000, do: "restart", node: "n1" },
      { t: 3_000, do: "partition", groups: [["n1", "n2", "n3"], ["n4"], ["n5"]] },
      { t: 4_500, do: "restart", node: "n5" },
      { t: 4_500, do: "partition", groups: [["n5", "n3", "n4"], ["n1", "n2"]] },
    ],
  }),
  // The election restriction off (§5.4.1): n5 is cut off from the start while the others
  // commit two commands. Alone it keeps timing out, so its term runs far ahead. On heal its
  // high term makes everyone step down, and without the restriction they vote for it though
  // its log is empty. Its first command overwrites the committed entries.
  scenario({
    lab: "raft",
    name: "no-election-restriction",
    title: "Voting for a stale log",
    seed: 3,
    until: 6_000,
    nodes: 5,
    params: { rules: { electionRestriction: false } },
    timeline: [
      { t: 0, do: "partition", groups: [["n5"]] },
      cmd(1_000, "n1", 1, "set x=1"),
      cmd(1_200, "n2", 2, "set y=2"),
      { t: 3_000, do: "heal" },
      cmd(3_600, "n5", 3, "set x=stale"),
    ],
  }),
  // votedFor not persisted: n1 and n2 stand in term 1 together. n3 votes for n1, crashes and
  // comes back having forgotten its vote, then n2's slower request arrives and it votes again.
  // Both reach a majority: two leaders in one term. (Link delays are set per pair to line the
  // messages up; n1 and n2 hear each other only after a second.)
  scenario({
    lab: "raft",
    name: "forgotten-vote",
    title: "A vote forgotten in a crash",
    seed: 1,
    until: 3_000,
    nodes: 3,
    network: {
      latency: [20, 20],
      links: [
        { a: "n1", b: "n3", latency: [10, 10] },
        { a: "n2", b: "n3", latency: [60, 60] },
        { a: "n1", b: "n2", latency: [1_000, 1_000] },
      ],
    },
    params: { electionTimeout: [150, 151], rules: { persistVote: false } },
    timeline: [
      { t: 0, do: "crash", node: "n3" },
      { t: 140, do: "restart", node: "n3" },
      { t: 165, do: "crash", node: "n3" },
      { t: 170, do: "restart", node: "n3" },
    ],
  }),
];
