// Gallery scenarios for the clocks lab. Nodes n1..nN in a column, as the space-time diagram's
// lanes; every node reaches every other.

import { scenario } from "../../scenario/build.ts";
import type { Action, ClockSkew, NodeSpec } from "../../scenario/types.ts";

/** n1..nN down a column, with their clock skews. */
function lanes(skews: (ClockSkew | undefined)[]): NodeSpec[] {
  return skews.map((clock, i) => {
    const n: NodeSpec = { id: `n${i + 1}`, x: 0.5, y: Math.round((1000 * (i + 0.5)) / skews.length) / 1000 };
    if (clock !== undefined) n.clock = clock;
    return n;
  });
}

const base = (name: string, title: string, nodes: NodeSpec[], params: Record<string, unknown>, timeline: Action[] = [], until = 15_000, seed = 5) =>
  scenario({ lab: "clocks", name, title, seed, until, nodes, network: { latency: [40, 120], reach: 1.5 }, params, timeline });

export const scenarios = [
  // Three nodes with good clocks chat and write: Lamport timestamps follow every chain of
  // messages, but two events with different Lamport numbers may be concurrent; vector clocks
  // tell the two cases apart.
  base("causality", "Lamport follows causality; vectors detect concurrency", lanes([undefined, undefined, undefined]), {}),
  // n3's clock runs 300 ms ahead: messages from n3 arrive, by the receiver's clock, before n3
  // sent them. Causality (Lamport, vectors, HLC) is untouched.
  base("skew", "A fast clock: received before it was sent", lanes([undefined, undefined, { offset: 300 }]), {}),
  // At 6 s NTP steps n2's clock back by 800 ms: its physical timestamps go backwards, while
  // its HLC, which never goes below what it has seen, keeps rising.
  base("ntp-step", "An NTP step backwards", lanes([undefined, { step: { at: 6_000, by: -800 } }, undefined]), {}),
  // The register ordered by physical timestamps, and n1's clock 1 s ahead: a write made after
  // n1's, having seen it, carries a smaller timestamp and loses to it everywhere.
  base("lww", "Last writer wins, by the wrong clock", lanes([{ offset: 1_000 }, undefined, undefined]), { order: "physical", writes: 0.4, sends: 0.3 }),
  // The naive HLC (no counter c), on clocks that tick every 100 ms while nodes talk every 40:
  // l is bumped at every event the clock has not moved past, and runs away from physical time.
  base("naive-hlc", "The naive HLC runs away", lanes([undefined, { offset: 150 }, undefined]), { hlc: "naive", resolution: 100, interval: 40, sends: 0.6, writes: 0 }, [], 10_000),
];
