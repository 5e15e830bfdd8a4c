// Every check of every lab, followed live, finds exactly what it finds over the whole trace:
// for random Raft and gossip runs, a Watch fed in random chunks (some overlapping what it has
// seen), snapshotted at a random event and restored into a fresh Watch, gives the same
// violations (messages, times and events) as `run`, both from the restored copy and from the
// original carrying on. A failure prints the scenario and the feeding plan.

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { faultArb, networkArb } from "../../tests/property/arbitraries.ts";
import { ringOfNodes } from "../scenario/build.ts";
import type { Action, Scenario } from "../scenario/types.ts";
import { Simulation } from "../sim/simulation.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { defineCheck, MAX_VIOLATIONS, Watch, type Violation } from "./checking.ts";
import { gossipLab } from "./gossip/index.ts";
import { raftLab } from "./raft/index.ts";
import type { Lab } from "./types.ts";

const RULES = ["electionRestriction", "currentTermCommit", "persistVote"] as const;

/** Random faults and commands among n nodes up to `horizon`, with the lab's params. */
function randomScenario(lab: Lab, nodes: fc.Arbitrary<number>, horizon: number, commands: fc.Arbitrary<unknown>, params: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Scenario> {
  return nodes.chain((n) => {
    const ids = ringOfNodes(n).map((x) => x.id);
    const t = fc.integer({ min: 0, max: horizon });
    const action: fc.Arbitrary<Action> = fc.oneof(
      faultArb(ids, horizon),
      fc.record({ t, do: fc.constant("command" as const), node: fc.constantFrom(...ids), cmd: commands }),
      fc.record({ t, do: fc.constant("set" as const), path: fc.constant("network.loss"), value: fc.constantFrom(0, 0.5, 1) }),
    );
    return fc.record({
      v: fc.constant(1 as const),
      lab: fc.constant(lab.id),
      seed: fc.nat(),
      until: fc.integer({ min: 500, max: horizon + 7000 }),
      nodes: fc.constant(ringOfNodes(n)),
      network: networkArb({ maxLatency: 30, maxJitter: 60, worst: 0.4 }),
      params,
      timeline: fc.array(action, { maxLength: 30 }),
    });
  });
}

/** A gallery scenario on another seed, with a few more faults (and what `more` changes). */
function galleryScenario(lab: Lab, more: (s: Scenario) => fc.Arbitrary<Partial<Scenario>> = () => fc.constant({})): fc.Arbitrary<Scenario> {
  return fc.constantFrom(...lab.scenarios).chain((s) =>
    fc
      .record({
        seed: fc.nat(),
        faults: fc.array(
          faultArb(
            s.nodes.map((x) => x.id),
            s.until,
          ),
          { maxLength: 3 },
        ),
        more: more(s),
      })
      .map(({ seed, faults, more }): Scenario => ({ ...s, seed, timeline: [...s.timeline, ...faults], ...more })),
  );
}

const raftCommand = fc.record({ client: fc.constant("p"), seq: fc.integer({ min: 1, max: 50 }), op: fc.constantFrom("set x=1", "set x=2", "set y=3", "del x") });
/** Some of Raft's safety rules switched off, on top of `rules`. */
const rulesOff = (rules: unknown) =>
  fc.subarray([...RULES]).map((off) => ({ ...(rules as object), ...Object.fromEntries(off.map((r) => [r, false])) }));

const raftScenario: fc.Arbitrary<Scenario> = fc.oneof(
  randomScenario(
    raftLab,
    fc.integer({ min: 3, max: 7 }),
    6000,
    raftCommand,
    fc.record({ electionTimeout: fc.constantFrom([150, 300], [100, 120], [150, 151]), rules: rulesOff({}) }),
  ),
  // The gallery's runs break rules on cue; random faults alone rarely do.
  galleryScenario(raftLab, (s) => rulesOff((s.params as { rules?: unknown }).rules).map((rules) => ({ params: { ...s.params, rules } }))),
);

const gossipCommand = fc.oneof(fc.constant("inc"), fc.record({ inc: fc.integer({ min: -3, max: 5 }) }), fc.jsonValue({ maxDepth: 2 }));
/** Increments just before the network goes silent, and time after it: the nodes may never agree. */
const silenced: fc.Arbitrary<Scenario> = fc
  .record({ at: fc.integer({ min: 500, max: 4000 }), quiet: fc.integer({ min: 3000, max: 8000 }), n: fc.integer({ min: 2, max: 6 }), seed: fc.nat(), nodesIdx: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) })
  .map(({ at, quiet, n, seed, nodesIdx }): Scenario => {
    const nodes = ringOfNodes(n);
    return {
      v: 1,
      lab: "gossip",
      seed,
      until: at + quiet,
      nodes,
      network: { latency: [10, 40], loss: 0, duplicate: 0, reorder: false },
      params: {},
      timeline: [
        ...nodesIdx.map((k, i): Action => ({ t: at - 40 * i, do: "command", node: nodes[k % n]!.id, cmd: "inc" })),
        { t: at, do: "set", path: "network.loss", value: 1 },
      ],
    };
  });
const gossipScenario: fc.Arbitrary<Scenario> = fc.oneof(
  randomScenario(gossipLab, fc.integer({ min: 1, max: 7 }), 8000, gossipCommand, fc.record({ interval: fc.constantFrom(50, 200, 1000) })),
  galleryScenario(gossipLab),
  silenced,
);

/** How to feed a watch: chunk sizes and how far back each window starts (used in turn), and where to snapshot (a fraction of the trace). */
const planArb = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 8 }),
  backs: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
});
type Plan = typeof planArb extends fc.Arbitrary<infer P> ? P : never;

/** Feed `w` events up to seq `end` in windows of the plan's sizes, each starting up to `back` events before what it has seen. */
function feedTo(w: Watch, trace: readonly TraceEvent[], end: number, plan: Plan, turn = { k: 0 }): void {
  while (w.next < end) {
    const k = turn.k++;
    const lo = Math.max(0, w.next - plan.backs[k % plan.backs.length]!);
    const hi = Math.min(end, w.next + plan.sizes[k % plan.sizes.length]!);
    w.feed(trace.slice(lo, hi), lo);
  }
}

const byCheck = (lab: Lab, vs: readonly Violation[]) => Object.fromEntries(lab.checks.map((c) => [c.id, vs.filter((x) => x.check === c.id)]));

/** Runs the scenario (or takes the trace given); checks the property; returns the violations `run` found. */
function compare(lab: Lab, s: Scenario, plan: Plan, given?: readonly TraceEvent[]): Violation[] {
  const params = v.parse(lab.params, s.params);
  let trace = given;
  if (trace === undefined) {
    const sim = new Simulation(s, lab.protocol, params);
    sim.runUntil(s.until);
    trace = sim.engine.trace.events;
  }
  const expected = Object.fromEntries(lab.checks.map((c) => [c.id, c.run(trace, s, params)]));
  const all = Object.values(expected).flat();
  // Past the cap a watch keeps only the first violations: none of these runs come near it.
  expect(all.length).toBeLessThan(MAX_VIOLATIONS);

  // What the steps alone find (all but gossip's convergence, which only the end shows).
  const stepsFind = Object.fromEntries(lab.checks.map((c) => [c.id, defineCheck({ ...c, finish: undefined }).run(trace, s, params)]));

  const ctx = { scenario: s, params };
  const original = new Watch(lab.checks, [], ctx);
  const at = Math.floor(plan.at * trace.length);
  const turn = { k: 0 };
  feedTo(original, trace, at, plan, turn);
  expect(original.next).toBe(at);
  const snap = original.snapshot();
  // The original carries on first, so a restored copy sharing its state would show it.
  feedTo(original, trace, trace.length, plan, turn);
  const restored = new Watch(lab.checks, [], ctx);
  restored.restore(snap);
  feedTo(restored, trace, trace.length, plan, { k: 0 });

  for (const w of [original, restored]) {
    expect(w.next).toBe(trace.length);
    // Live, only what the steps find; at the end, what the end shows too.
    expect(byCheck(lab, w.violations)).toEqual(stepsFind);
    expect(byCheck(lab, w.finish(s.until))).toEqual(expected);
  }

  // Each check reads only the kinds it declares (a watch hands it no others).
  for (const c of lab.checks) {
    const kinds = c.kinds;
    if (kinds !== undefined) expect(c.run(trace.filter((e) => kinds.includes(e.kind)), s, params)).toEqual(expected[c.id]);
  }
  return all;
}

describe("checks followed live", () => {
  const runs: [Lab, fc.Arbitrary<Scenario>, number][] = [
    [raftLab, raftScenario, 120],
    [gossipLab, gossipScenario, 120],
  ];
  for (const [lab, scenarioArb, numRuns] of runs) {
    it(`find in random ${lab.id} runs what run finds, fed in random chunks and restored from a snapshot at a random event`, () => {
      const violating: Record<string, number> = {};
      let cases = 0;
      fc.assert(
        fc.property(scenarioArb, planArb, (s, plan) => {
          const found = compare(lab, s, plan);
          if (found.length > 0) cases++;
          for (const id of new Set(found.map((x) => x.check))) violating[id] = (violating[id] ?? 0) + 1;
        }),
        { numRuns },
      );
      // Not vacuous: some runs break something (fast-check's shrinking is not in play on success).
      expect(cases, `runs with violations, by check: ${JSON.stringify(violating)}`).toBeGreaterThan(0);
      // Raft's gallery breaks Election Safety, Leader Completeness and State Machine Safety;
      // gossip's silenced runs never converge, which only `finish` finds.
      if (lab === raftLab) expect(Object.keys(violating).length, JSON.stringify(violating)).toBeGreaterThanOrEqual(2);
      else expect(violating.convergence, JSON.stringify(violating)).toBeGreaterThan(0);
    });
  }

  // Real runs hardly ever break Log Matching or Leader Append-Only, even with rules off, so
  // the Raft checks also read made-up observations: few nodes (named as Object.prototype's keys
  // too), few terms and indexes, so that every check finds something.
  it("find in made-up Raft observations what run finds, fed in random chunks and restored from a snapshot at a random event", () => {
    const nodes = ["n1", "n2", "toString", "__proto__"];
    const node = fc.constantFrom(...nodes);
    const index = fc.integer({ min: 0, max: 6 });
    const term = fc.integer({ min: 1, max: 3 });
    const event = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("role"), node, role: fc.constantFrom("leader", "leader", "follower", "candidate"), term: fc.oneof(term, fc.constant(0), fc.constant("3")) }) },
      { weight: 5, arbitrary: fc.record({ kind: fc.constant("append"), node, index, term: fc.oneof(term, fc.constant(-1), fc.constant(-2)), cmd: fc.constantFrom("a", "b", { x: [1] }, null) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate"), node, from: index }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("commit"), node, index }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("apply"), node, index, term: fc.oneof(term, fc.constant(null), fc.constant("1")), cmd: fc.constantFrom("a", "b") }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("crash", "restart", "fail"), node }) },
    );
    const s = raftLab.scenarios[0]!;
    const violating: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80, size: "max" }), planArb, (drafts, plan) => {
        const trace = drafts.map((d, seq): TraceEvent => ({ t: seq * 7, seq, ...(d as Record<string, unknown>), kind: d.kind }));
        for (const id of new Set(compare(raftLab, s, plan, trace).map((x) => x.check))) violating[id] = (violating[id] ?? 0) + 1;
      }),
      { numRuns: 400 },
    );
    expect(Object.keys(violating).sort(), JSON.stringify(violating)).toEqual(raftLab.checks.map((c) => c.id).sort());
  });
});
