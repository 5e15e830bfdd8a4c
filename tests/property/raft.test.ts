// Raft under random faults, many seeds, every rule on. Two phases, as in TigerBeetle's VOPR:
// first faults (partitions, crashes and restarts, loss, duplication, reordering), then heal,
// restart everyone and require convergence: a leader, and a command committed on a majority
// within a bounded virtual time. Safety (Figure 3) must hold throughout. A failure prints the
// scenario (seed included) that reproduces it.

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { raftLab } from "../../src/labs/raft/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { ringOfNodes } from "../../src/scenario/build.ts";
import { faultArb, networkArb } from "./arbitraries.ts";
import type { Action, Scenario } from "../../src/scenario/types.ts";

const FAULTS_UNTIL = 8_000;
const HEAL_AT = 8_000;
const PROBE_AT = 11_000;
/** After healing, a leader and a committed probe command within this much virtual time. */
const CONVERGE_MS = 6_000;

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 3, max: 7 }).chain((n) => {
  const ids = ringOfNodes(n).map((x) => x.id);
  const node = fc.constantFrom(...ids);
  const t = fc.integer({ min: 0, max: FAULTS_UNTIL });
  const fault: fc.Arbitrary<Action> = fc.oneof(
    faultArb(ids, FAULTS_UNTIL),
    fc.record({ t, do: fc.constant("command" as const), node, cmd: fc.record({ client: fc.constant("p"), seq: fc.integer({ min: 1, max: 50 }), op: fc.constantFrom("set x=1", "set x=2", "set y=3", "del x") }) }),
  );
  return fc.record({
    v: fc.constant(1 as const),
    lab: fc.constant("raft"),
    seed: fc.nat(),
    until: fc.constant(PROBE_AT + CONVERGE_MS),
    nodes: fc.constant(ringOfNodes(n)),
    network: networkArb({ maxLatency: 30, maxJitter: 60, worst: 0.3 }),
    params: fc.constant({}),
    timeline: fc.array(fault, { maxLength: 25 }).map((faults): Action[] => [
      ...faults,
      // Phase two: heal everything, bring every node back, calm the network, then ask.
      { t: HEAL_AT, do: "heal" },
      ...ids.map((id): Action => ({ t: HEAL_AT, do: "restart", node: id })),
      { t: HEAL_AT, do: "set", path: "network.loss", value: 0 },
      { t: HEAL_AT, do: "set", path: "network.duplicate", value: 0 },
      ...ids.map((id): Action => ({ t: PROBE_AT, do: "command", node: id, cmd: { client: "probe", seq: 1, op: "set probe=1" } })),
    ]),
  });
});

describe("Raft under random faults", () => {
  it("never breaks a Figure 3 property, and converges after the faults heal", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const run = startInProcess({ scenario: s, labId: "raft", protocol: raftLab.protocol, params: v.parse(raftLab.params, s.params) });
        await run.advance(s.until);
        const events = run.engine.trace.events;
        const violations = raftLab.checks.flatMap((c) => c.run(events, s));
        expect(violations.map((x) => x.message)).toEqual([]);
        const views = await run.views();
        expect(views.filter((x) => x.role === "leader")).toHaveLength(1);
        // The probe is committed on a majority: some entry "set probe=1" at an index <= commitIndex.
        const committed = views.filter((x) => {
          const log = x.log as { cmd: { op: string } }[];
          const k = log.findIndex((e) => e.cmd.op === "set probe=1");
          return k >= 0 && k + 1 <= (x.commitIndex as number);
        });
        expect(committed.length).toBeGreaterThan(s.nodes.length / 2);
      }),
      { numRuns: 300 },
    );
  });
});
