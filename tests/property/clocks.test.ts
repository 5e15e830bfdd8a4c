// The clocks lab on random runs: skewed, drifting and stepped clocks (some changed mid-run), a
// network that loses, duplicates and reorders, partitions, crashes and restarts, and the
// learner's own events (tests/property/clocks-scenarios.ts).
//
// - Vector clocks say A → B exactly when a chain of local steps (one node's events in trace
//   order) and messages (a send, then a delivery of the same message id) leads from A to B,
//   found here by searching that graph, not by reading clocks; concurrent otherwise.
// - Lamport timestamps rise along every such chain.
// - With the paper's HLC, the lab's checks find nothing, whatever the clocks do (and the two
//   false alarms the check once raised stay gone: the tests at the end).
// - The naive HLC of the gallery's "naive-hlc" run is caught by the hlc-bounds check, and the
//   paper's rule on the same run is not.
//
// The fast-check seed is the suite's fixed one (tests/fast-check-seed.ts).

import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { vcCompare } from "../../src/labs/clocks/clocks.ts";
import { clocksLab } from "../../src/labs/clocks/index.ts";
import { clockEvent, type ClockEvent } from "../../src/labs/clocks/series.ts";
import { labKit } from "../../src/labs/testing.ts";
import { scenario as buildScenario } from "../../src/scenario/build.ts";
import type { ClockSkew, Scenario } from "../../src/scenario/types.ts";
import { Simulation } from "../../src/sim/simulation.ts";
import type { TraceEvent } from "../../src/sim/trace.ts";
import { clocksScenarioArb, loaded } from "./clocks-scenarios.ts";

const kit = labKit(clocksLab);

function run(drawn: Scenario): { scenario: Scenario; params: Record<string, unknown>; trace: readonly TraceEvent[] } {
  const { scenario, params } = loaded(drawn);
  const sim = new Simulation(scenario, clocksLab.protocol, params, undefined, clocksLab.actions);
  sim.runUntil(scenario.until);
  return { scenario, params, trace: sim.engine.trace.events };
}

/** Every check of the lab over a whole run, with the params as the run parsed them (defaults filled). */
function violations(trace: readonly TraceEvent[], scenario: Scenario, params: Record<string, unknown>): string[] {
  return clocksLab.checks.flatMap((c) => c.run(trace, scenario, params).map((x) => `${x.check} at ${x.t}: ${x.message}`));
}

/**
 * happened[i][j]: event j is reachable from event i (i ≠ j) along local steps and messages.
 * The graph's edges: each event to its node's next event, each send to every delivery of its
 * message. A breadth-first search from every event.
 */
function happenedBefore(events: readonly ClockEvent[]): boolean[][] {
  const next: number[][] = events.map(() => []);
  const lastOf = new Map<string, number>();
  const sendOf = new Map<string, number>();
  events.forEach((e, i) => {
    const prev = lastOf.get(e.node);
    if (prev !== undefined) next[prev]!.push(i);
    lastOf.set(e.node, i);
    if (e.event === "send" && e.id !== undefined) {
      expect(sendOf.has(e.id), `message id ${e.id} sent twice`).toBe(false);
      sendOf.set(e.id, i);
    }
    if (e.event === "deliver" && e.id !== undefined) {
      const src = sendOf.get(e.id);
      // Every delivery comes after its send in the trace, and the message ids are unique.
      expect(src, `the send of ${e.id}, delivered at seq ${e.seq}`).toBeDefined();
      next[src!]!.push(i);
    }
  });
  return events.map((_, from) => {
    const seen = events.map(() => false);
    const queue = [...next[from]!];
    for (let k = 0; k < queue.length; k++) {
      const at = queue[k]!;
      if (seen[at]) continue;
      seen[at] = true;
      queue.push(...next[at]!);
    }
    return seen;
  });
}

describe("the clocks lab on random runs", () => {
  it("vector clocks order two events exactly as chains of local steps and messages do; Lamport rises along every chain", () => {
    const arb = clocksScenarioArb({ until: [1_000, 4_000], interval: [30, 250] });
    let pairs = 0;
    let before = 0;
    let concurrent = 0;
    fc.assert(
      fc.property(arb, (drawn) => {
        const { trace } = run(drawn);
        // A prefix of the trace is closed under happened-before, so its first 250 clock events stand alone.
        const events = trace.filter((e) => e.kind === "clock").map(clockEvent).slice(0, 250);
        const hb = happenedBefore(events);
        for (let i = 0; i < events.length; i++)
          for (let j = 0; j < events.length; j++) {
            if (i === j) continue;
            const a = events[i]!;
            const b = events[j]!;
            const want = hb[i]![j] ? "before" : hb[j]![i] ? "after" : "concurrent";
            const got = vcCompare(a.vc, b.vc);
            if (got !== want) expect.fail(`${a.node}'s ${a.event} (seq ${a.seq}, ${JSON.stringify(a.vc)}) and ${b.node}'s ${b.event} (seq ${b.seq}, ${JSON.stringify(b.vc)}): vector clocks say ${got}, the run's chains ${want}`);
            if (hb[i]![j] && !(a.lamport < b.lamport)) expect.fail(`seq ${a.seq} → seq ${b.seq}, but Lamport ${a.lamport} is not below ${b.lamport}`);
            pairs++;
            if (want === "before") before++;
            if (want === "concurrent") concurrent++;
          }
      }),
      { numRuns: 40 },
    );
    // The runs had both kinds of pair to tell apart.
    expect(before).toBeGreaterThan(pairs / 20);
    expect(concurrent).toBeGreaterThan(pairs / 20);
  });

  it("with the paper's HLC, the checks find nothing: skews, drifts, backward steps, clocks changed mid-run, crashes, loss, duplication", () => {
    const arb = clocksScenarioArb({ until: [2_000, 8_000], interval: [20, 300], hlc: "paper", actions: 12 });
    let events = 0;
    fc.assert(
      fc.property(arb, (drawn) => {
        const { scenario, params, trace } = run(drawn);
        expect(params.hlc).toBe("paper");
        const clock = trace.filter((e) => e.kind === "clock").map(clockEvent);
        events += clock.length;
        const found = clocksLab.checks.flatMap((c) => c.run(trace, scenario, params));
        expect(found.map((x) => `${x.check} at ${x.t}: ${x.message}`)).toEqual([]);
      }),
      { numRuns: 40 },
    );
    expect(events).toBeGreaterThan(40 * 50);
  });

  it("the naive HLC of the gallery's naive-hlc run breaks the hlc-bounds check, and the paper's on the same run does not", () => {
    const naive = kit.gallery("naive-hlc");
    const paper: Scenario = { ...naive, params: { ...naive.params, hlc: "paper" } };
    const found = (s: Scenario) => {
      const params = v.parse(clocksLab.params, s.params);
      return violations(kit.play(s).events, s, params);
    };
    const onNaive = found(naive);
    expect(onNaive.filter((x) => x.startsWith("hlc-bounds")).length).toBeGreaterThan(0);
    expect(onNaive.filter((x) => !x.startsWith("hlc-bounds"))).toEqual([]);
    expect(found(paper)).toEqual([]);
  });
});

// Two false alarms the hlc-bounds check once raised on the paper's rule, each on its smallest run:
// an HLC that started at l = 0, ahead of clocks reading below zero; and a counter bound that
// allowed one event per node per clock tick, when a coarse clock sees several.
describe("no false alarm of the hlc-bounds check on the paper's HLC", () => {
  const twoNodes = (clock: ClockSkew | undefined, params: Record<string, unknown>): Scenario =>
    buildScenario({
      lab: "clocks",
      seed: 1,
      until: 1_000,
      nodes: ["n1", "n2"].map((id, i) => ({ id, x: 0.5, y: 0.25 + i / 2, ...(clock === undefined ? {} : { clock }) })),
      network: { reach: 1.5 },
      params,
    });
  const found = (s: Scenario) => violations(kit.play(s).events, s, v.parse(clocksLab.params, s.params));

  it("two clocks that both start 1 s behind zero", () => {
    expect(found(twoNodes({ offset: -1_000 }, {}))).toEqual([]);
  });

  it("perfect clocks ticking every 100 ms, a local event every 10–15 ms, no messages: c counts the events of a tick", () => {
    expect(found(twoNodes(undefined, { resolution: 100, interval: 10, sends: 0, writes: 0 }))).toEqual([]);
  });
});
