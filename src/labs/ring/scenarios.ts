// Gallery scenarios for the ring lab. Servers s1..sN stand in a circle, clients c1..cM beside
// it; every node can reach every other (reach 1.5) until the learner drags one away or a
// scenario partitions them.

import { scenario } from "../../scenario/build.ts";
import type { Action, NodeSpec } from "../../scenario/types.ts";

/** Servers round a circle, clients in a column at the right. */
export function ringNodes(servers: number, clients: number): NodeSpec[] {
  const out: NodeSpec[] = [];
  for (let i = 0; i < servers; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / servers;
    out.push({ id: `s${i + 1}`, x: round(0.42 + 0.3 * Math.cos(a)), y: round(0.5 + 0.36 * Math.sin(a)), role: "server" });
  }
  for (let i = 0; i < clients; i++) out.push({ id: `c${i + 1}`, x: 0.92, y: round(0.2 + (0.6 * (i + 0.5)) / clients), role: "client" });
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const base = (name: string, title: string, params: Record<string, unknown>, timeline: Action[], until = 20_000, seed = 3) =>
  scenario({ lab: "ring", name, title, seed, until, nodes: ringNodes(5, 3), network: { latency: [10, 30], reach: 1.5 }, params, timeline });

export const scenarios = [
  // A sixth server joins at 5 s: about a sixth of the keys stream to it while the clients keep
  // reading and writing; at 12 s s2 leaves and its keys move to the next servers round the ring.
  base("join-leave", "A server joins, another leaves", {}, [
    { t: 5_000, do: "add-server", node: "s6", x: 0.42, y: 0.5 },
    { t: 12_000, do: "remove-server", node: "s2" },
  ]),
  // The same join with hash(key) mod N: almost every key changes owner.
  base("modulo", "hash mod N moves almost everything", { strategy: "modulo" }, [{ t: 5_000, do: "add-server", node: "s6", x: 0.42, y: 0.5 }]),
  // Three virtual nodes a server: a few long arcs, so some servers own far more keys than others.
  base("vnodes", "Few virtual nodes, lumpy load", { vnodes: 3 }, []),
  // Jump consistent hash: buckets numbered 0..N-1, as even as hashing gets. Removing s2 from the
  // middle renumbers every bucket after it, so far more than s2's keys move.
  base("jump", "Jump hash cannot remove a server from the middle", { strategy: "jump" }, [{ t: 5_000, do: "remove-server", node: "s2" }]),
  // Half of all requests go to one key: whatever the placement, its replicas carry that load.
  base("hot-key", "A hot key", { hotKey: 0.5 }, []),
  // Range sharding, and half of all requests go to the first tenth of the keys (as recent
  // timestamps would): every one of them lives in s1's range.
  base("hot-range", "A hot range on one shard", { strategy: "range", hotRange: 0.5 }, []),
  // s3 crashes at 3 s and stays down: every key it held has two other replicas, and a strict
  // quorum of two still answers.
  base("crash", "A crashed server, served by its replicas", {}, [{ t: 3_000, do: "crash", node: "s3" }]),
  // A partition cuts s1, s2 and c1 off from the rest; strict quorum (r = w = 2 of 3): the
  // minority side cannot gather two replicas for most keys and refuses those writes.
  base("partition-strict", "A partition under a strict quorum", {}, [
    { t: 4_000, do: "partition", groups: [["s1", "s2", "c1"], ["s3", "s4", "s5", "c2", "c3"]] },
    { t: 12_000, do: "heal" },
  ]),
  // The same partition with a sloppy quorum: both sides accept writes, the minority's on
  // fallback servers with hints; reads can come back stale; on heal the hints go home.
  base("partition-sloppy", "A partition under a sloppy quorum", { sloppy: true }, [
    { t: 4_000, do: "partition", groups: [["s1", "s2", "c1"], ["s3", "s4", "s5", "c2", "c3"]] },
    { t: 12_000, do: "heal" },
  ]),
];
