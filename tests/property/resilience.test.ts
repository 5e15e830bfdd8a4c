// The resilience lab under random fault schedules: partitions, heals, crashes and restarts of
// any node, loss, duplication and reordering, the downstream failing (down, errors, slow) and
// recovering, and the learner switching the breaker, the backoff, the retries and the
// concurrency limit mid-run. With idempotency keys on, no operation executes twice whatever the
// loss and retries; an open breaker lets no call through, a half-open one only its trials; the
// queue keeps its bound. The fast-check seed is the suite's fixed one (tests/fast-check-seed.ts).

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labById } from "../../src/labs/index.ts";
import { fleet } from "../../src/labs/resilience/scenarios.ts";
import type { Action, Scenario } from "../../src/scenario/types.ts";
import { Simulation } from "../../src/sim/simulation.ts";
import { faultArb, networkArb } from "./arbitraries.ts";

const lab = labById("resilience")!;
const UNTIL = 12_000;
const nodes = fleet(4);
const ids = nodes.map((n) => n.id);
const t = fc.integer({ min: 0, max: UNTIL });

const injected: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t, do: fc.constant("fail"), node: fc.constant("db"), mode: fc.constantFrom("down", "errors", "slow"), errorRate: fc.double({ min: 0, max: 1, noNaN: true }), latency: fc.integer({ min: 0, max: 1_500 }) }),
  fc.record({ t, do: fc.constant("recover"), node: fc.constant("db"), over: fc.integer({ min: 0, max: 3_000 }) }),
);

const switches: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    t,
    do: fc.constant("set"),
    path: fc.constant("params.breaker"),
    value: fc.record({
      enabled: fc.boolean(),
      window: fc.integer({ min: 1, max: 30 }),
      threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      minVolume: fc.integer({ min: 1, max: 30 }),
      openMs: fc.integer({ min: 0, max: 3_000 }),
      halfOpenTrials: fc.integer({ min: 1, max: 5 }),
    }),
  }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.backoff"), value: fc.constantFrom("none", "exponential", "full-jitter", "equal-jitter", "decorrelated") }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.retries"), value: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.queue"), value: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.concurrency"), value: fc.record({ mode: fc.constantFrom("fixed", "aimd", "vegas"), limit: fc.integer({ min: 1, max: 30 }) }) }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.limiter"), value: fc.record({ enabled: fc.boolean(), rate: fc.integer({ min: 1, max: 60 }), burst: fc.integer({ min: 0, max: 20 }) }) }),
  fc.record({ t, do: fc.constant("set"), path: fc.constant("params.priority"), value: fc.boolean() }),
);

const arb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  network: networkArb({ maxLatency: 30, maxJitter: 30, worst: 0.25 }),
  timeline: fc.array(fc.oneof(faultArb(ids, UNTIL), injected, switches), { maxLength: 14 }),
  timeout: fc.integer({ min: 20, max: 800 }),
  callTimeout: fc.integer({ min: 20, max: 800 }),
});

function run(s: Scenario): { found: string[]; executed: number } {
  const params = v.parse(lab.params, s.params);
  const sim = new Simulation(s, lab.protocol, params, undefined, lab.actions);
  sim.runUntil(s.until);
  const ev = sim.engine.trace.events;
  return { found: lab.checks.flatMap((c) => c.run(ev, s, params).map((x) => `${x.check}: ${x.message}`)), executed: ev.filter((e) => e.kind === "execute").length };
}

describe("the resilience lab under random faults and switches", () => {
  it("with idempotency keys no operation executes twice; an open breaker holds; the queue keeps its bound", () => {
    let executed = 0;
    fc.assert(
      fc.property(arb, ({ seed, network, timeline, timeout, callTimeout }) => {
        const s: Scenario = {
          v: 1,
          lab: "resilience",
          seed,
          until: UNTIL,
          nodes,
          network: { ...network, reach: 1.5 },
          params: { interval: 60, retries: 4, timeout, callTimeout, idempotencyKeys: true },
          timeline: [...timeline].sort((a, b) => a.t - b.t),
        };
        const r = run(s);
        executed += r.executed;
        expect(r.found).toEqual([]);
      }),
      { numRuns: 40 },
    );
    // The runs did work: operations reached the downstream and executed.
    expect(executed).toBeGreaterThan(1_000);
  });
});
