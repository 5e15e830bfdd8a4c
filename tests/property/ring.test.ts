// The ring lab under hard random fault schedules: partitions, heals, crashes and restarts of
// servers and clients, servers joining and leaving the ring, loss, duplication and reordering,
// while the clients read and write. With a strict quorum (r + w > replicas, sloppy off) no
// acknowledged write is lost and no read is stale; with a sloppy quorum no acknowledged write is
// lost. The fast-check seed is the suite's fixed one (tests/fast-check-seed.ts).

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labById } from "../../src/labs/index.ts";
import { ringNodes } from "../../src/labs/ring/scenarios.ts";
import type { Action, Scenario } from "../../src/scenario/types.ts";
import { Simulation } from "../../src/sim/simulation.ts";
import { faultArb, networkArb } from "./arbitraries.ts";

const lab = labById("ring")!;
const UNTIL = 12_000;
const nodes = ringNodes(5, 3);
const ids = nodes.map((n) => n.id);

const membership: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.integer({ min: 0, max: UNTIL }), do: fc.constant("add-server"), node: fc.constantFrom("s6", "s7") }),
  fc.record({ t: fc.integer({ min: 0, max: UNTIL }), do: fc.constant("remove-server"), node: fc.constantFrom("s1", "s2", "s3", "s4", "s5") }),
);

/** Keep each join before anything that names the newcomer, and each id joining once. */
function valid(timeline: Action[]): Action[] {
  const out: Action[] = [];
  const joined = new Map<string, number>();
  for (const a of [...timeline].sort((x, y) => x.t - y.t)) {
    if (a.do === "add-server") {
      if (joined.has(String(a.node))) continue;
      joined.set(String(a.node), a.t);
    }
    out.push(a);
  }
  return out;
}

function scenarioOf(seed: number, network: Scenario["network"], timeline: Action[], params: Record<string, unknown>): Scenario {
  return { v: 1, lab: "ring", seed, until: UNTIL, nodes, network: { ...network, reach: 1.5 }, params: { interval: 60, keys: 60, ...params }, timeline: valid(timeline) };
}

const arb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  network: networkArb({ maxLatency: 40, maxJitter: 40, worst: 0.2 }),
  faults: fc.array(fc.oneof(faultArb(ids, UNTIL - 3_000), membership), { maxLength: 10 }),
});

function violations(s: Scenario): string[] {
  const loaded = lab.checks.length;
  const params = v.parse(lab.params, s.params);
  const sim = new Simulation(s, lab.protocol, params, undefined, lab.actions);
  sim.runUntil(s.until);
  const ev = sim.engine.trace.events;
  expect(ev.some((e) => e.kind === "ack")).toBe(true);
  void loaded;
  return lab.checks.flatMap((c) => c.run(ev, s, s.params).map((x) => `${x.check}: ${x.message}`));
}

describe("the ring lab under random faults and membership changes", () => {
  it("strict quorum: no acknowledged write lost, no stale read", () => {
    fc.assert(
      fc.property(arb, ({ seed, network, faults }) => {
        // The run ends healed and up, with time for hints and moves to settle.
        const end: Action[] = [{ t: UNTIL - 2_500, do: "heal" }, ...ids.map((id) => ({ t: UNTIL - 2_500, do: "restart" as const, node: id }))];
        const found = violations(scenarioOf(seed, network, [...faults, ...end], {}));
        expect(found).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("sloppy quorum: no acknowledged write lost", () => {
    fc.assert(
      fc.property(arb, ({ seed, network, faults }) => {
        const end: Action[] = [{ t: UNTIL - 2_500, do: "heal" }, ...ids.map((id) => ({ t: UNTIL - 2_500, do: "restart" as const, node: id }))];
        const found = violations(scenarioOf(seed, network, [...faults, ...end], { sloppy: true }));
        expect(found.filter((x) => x.startsWith("no-lost-writes"))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
