// Gallery scenarios for the gossip lab. Each shows one thing; the comments say what.

import { scenario } from "../../scenario/build.ts";
import type { Action } from "../../scenario/types.ts";

const incs = (node: string, from: number, every: number, count: number): Action[] =>
  Array.from({ length: count }, (_, k) => ({ t: from + k * every, do: "command" as const, node, cmd: "inc" }));

export const scenarios = [
  // Five nodes count and gossip on a clean network: every total climbs to 12 within a second
  // or two of the last increment — how fast a rumour spreads with one random peer per round.
  scenario({
    lab: "gossip",
    name: "steady",
    title: "Counting on a clean network",
    seed: 7,
    until: 15_000,
    nodes: 5,
    timeline: [...incs("n1", 500, 400, 6), ...incs("n4", 700, 900, 4), { t: 4000, do: "command", node: "n2", cmd: { inc: 2 } }],
  }),
  // A partition splits {n1,n2} from {n3,n4,n5}; both sides keep counting, and each side's
  // total only includes its own increments. On heal, gossip merges the two halves by max and
  // every node reaches the sum — no increment is lost, none is counted twice.
  scenario({
    lab: "gossip",
    name: "partition-heal",
    title: "Both halves count, then merge",
    seed: 11,
    until: 20_000,
    nodes: 5,
    timeline: [
      { t: 2000, do: "partition", groups: [["n1", "n2"], ["n3", "n4", "n5"]] },
      ...incs("n1", 3000, 500, 5),
      ...incs("n5", 3200, 700, 3),
      { t: 9000, do: "heal" },
    ],
  }),
  // 30 % loss, duplicates and reordering: merging by max shrugs them all off; only the time
  // to converge grows.
  scenario({
    lab: "gossip",
    name: "lossy",
    title: "Loss, duplicates and reordering",
    seed: 3,
    until: 20_000,
    nodes: 7,
    network: { loss: 0.3, duplicate: 0.2, reorder: true, latency: [10, 120] },
    timeline: [...incs("n2", 1000, 300, 10), { t: 5000, do: "crash", node: "n6" }, { t: 8000, do: "restart", node: "n6" }],
  }),
];
