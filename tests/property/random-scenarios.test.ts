// Random scenarios, every lab: a run never throws past the engine, gives the same trace hash
// twice, and (for a smaller sample) the same hash on the worker host. A failure prints the
// scenario that reproduces it (fast-check's counterexample), seed included.

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs, loadScenario, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";
import { ringOfNodes } from "../../src/scenario/build.ts";
import { faultArb, networkArb } from "./arbitraries.ts";
import type { Action, Scenario } from "../../src/scenario/types.ts";

function scenarioArb(labId: string, commands: fc.Arbitrary<unknown>, nodeCount: readonly [number, number] = [1, 7]): fc.Arbitrary<Scenario> {
  return fc.integer({ min: Math.max(1, nodeCount[0]), max: Math.min(7, nodeCount[1]) }).chain((n) => {
    const ids = ringOfNodes(n).map((x) => x.id);
    const node = fc.constantFrom(...ids);
    const t = fc.integer({ min: 0, max: 5000 });
    const action: fc.Arbitrary<Action> = fc.oneof(
      faultArb(ids, 5000),
      fc.record({ t, do: fc.constant("command" as const), node, cmd: commands }),
      fc.record({ t, do: fc.constant("move" as const), node, x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ t, do: fc.constant("set" as const), path: fc.constant("network.loss"), value: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    return fc.record({
      v: fc.constant(1 as const),
      lab: fc.constant(labId),
      seed: fc.nat(),
      until: fc.integer({ min: 1, max: 6000 }),
      nodes: fc.constant(ringOfNodes(n)),
      network: networkArb({ maxLatency: 50, maxJitter: 100, worst: 0.5 }),
      params: fc.constant({}),
      timeline: fc.array(action, { maxLength: 12 }),
    });
  });
}

const commands = fc.oneof(fc.constant("inc"), fc.record({ inc: fc.integer({ min: -3, max: 5 }) }), fc.jsonValue());

for (const lab of labs) {
  describe(`random ${lab.id} scenarios`, () => {
    it("never throw and give the same trace hash twice in-process", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb(lab.id, commands, lab.nodeCount), async (s) => {
          const loaded = loadScenario(s);
          expect(loaded.ok, loaded.ok ? "" : loaded.error).toBe(true);
          if (!loaded.ok) return;
          const cfg = runConfig(loaded.scenario, loaded.params);
          const a = startInProcess(cfg);
          await a.advance(s.until);
          const b = startInProcess(cfg);
          await b.advance(s.until);
          expect(a.engine.now).toBe(s.until);
          expect(b.engine.trace.hash()).toBe(a.engine.trace.hash());
        }),
        { numRuns: 200 },
      );
    });

    it("give the same trace hash on the worker host", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb(lab.id, commands, lab.nodeCount), async (s) => {
          const cfg = runConfig(s, v.parse(lab.params, s.params));
          const a = startInProcess(cfg);
          await a.advance(s.until);
          const w = await startInWorkers(cfg, { spawn: spawnNodeWorker, maxWorkers: 2 });
          try {
            await w.advance(s.until);
            expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
          } finally {
            w.close();
          }
        }),
        { numRuns: 12 },
      );
    });
  });
}
