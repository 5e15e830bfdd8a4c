// Random clocks-lab runs for property tests: 2–5 nodes in lanes (all in reach), each clock
// with a random offset, drift and step, the scenario's params drawn (sends and writes shares,
// the register's order, the HLC rule unless fixed, the clocks' resolution), a faulty network
// (latency, loss, duplication, reordering), and a timeline of partitions, crashes, restarts,
// clock changes mid-run (`set nodes.<id>.clock.offset|drift|step`) and the learner's own events
// (commands: a local event, a write, a message to a peer, or to itself, which the node refuses).
// Each scenario is loaded as a link would be (`loadScenario`), so it is one a learner could make.

import fc from "fast-check";
import { loadScenario } from "../../src/labs/index.ts";
import type { Action, ClockSkew, NodeSpec, Scenario } from "../../src/scenario/types.ts";
import { faultArb, networkArb } from "./arbitraries.ts";

/**
 * Node ids a learner may give that ShiViz could trip on: white space, "%". Not yet the names
 * every JavaScript object has ("toString"): the lab's vector clocks read those entries as
 * inherited (clocks.ts: `vc[self] ?? 0`), so such a node never has an entry of its own.
 */
export const AWKWARD_IDS = ["a b", "a%20b", "%20", "tab\there", "nb\u00a0sp", "50%", "n%1"];

export type ClocksRunOptions = {
  /** Virtual time of the run, [min, max] ms. */
  until: [number, number];
  /** ms between a node's own events, [min, max]. */
  interval: [number, number];
  hlc?: "paper" | "naive";
  /** Draw awkward node ids (AWKWARD_IDS) for some runs. */
  awkwardIds?: boolean;
  /** At most this many timeline actions. */
  actions?: number;
};

/** Clocks a few ms apart as often as seconds apart: the HLC's bounds are tightest on good clocks. */
const offsetArb = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -3_000, max: 3_000 }));
const driftArb = fc.oneof(fc.double({ min: -0.001, max: 0.001, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -0.2, max: 0.2, noNaN: true, noDefaultInfinity: true }));

const skewArb = (until: number): fc.Arbitrary<ClockSkew> =>
  fc.record(
    {
      offset: offsetArb,
      drift: driftArb,
      step: fc.record({ at: fc.integer({ min: 0, max: until }), by: fc.integer({ min: -2_000, max: 2_000 }) }),
    },
    { requiredKeys: [] },
  );

function clockChange(ids: string[], until: number): fc.Arbitrary<Action> {
  const t = fc.integer({ min: 0, max: until });
  const node = fc.constantFrom(...ids);
  return fc.oneof(
    fc.record({ t, node, value: offsetArb }).map(({ t, node, value }): Action => ({ t, do: "set", path: `nodes.${node}.clock.offset`, value })),
    fc.record({ t, node, value: driftArb }).map(({ t, node, value }): Action => ({ t, do: "set", path: `nodes.${node}.clock.drift`, value })),
    fc
      .record({ t, node, at: fc.integer({ min: 0, max: until }), by: fc.integer({ min: -2_000, max: 2_000 }) })
      .map(({ t, node, at, by }): Action => ({ t, do: "set", path: `nodes.${node}.clock.step`, value: { at, by } })),
  );
}

/** A learner's own event at a node, from the panel: a local event, a write, a message to a peer. */
function learnerEvent(ids: string[], until: number): fc.Arbitrary<Action> {
  return fc
    .record({ t: fc.integer({ min: 0, max: until }), node: fc.constantFrom(...ids), cmd: fc.oneof(fc.constantFrom("local", "write"), fc.constantFrom(...ids).map((to) => ({ send: to }))) })
    .map(({ t, node, cmd }): Action => ({ t, do: "command", node, cmd }));
}

export function clocksScenarioArb(o: ClocksRunOptions): fc.Arbitrary<Scenario> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: 5 }),
      until: fc.integer({ min: o.until[0], max: o.until[1] }),
      awkward: o.awkwardIds === true ? fc.boolean() : fc.constant(false),
    })
    .chain(({ n, until, awkward }) => {
      const ids = awkward ? fc.shuffledSubarray(AWKWARD_IDS, { minLength: n, maxLength: n }) : fc.constant(Array.from({ length: n }, (_, i) => `n${i + 1}`));
      return ids.chain((ids) =>
        fc.record({
          seed: fc.nat(),
          skews: fc.array(fc.option(skewArb(until), { nil: undefined }), { minLength: n, maxLength: n }),
          sends: fc.integer({ min: 0, max: 99 }),
          writes: fc.integer({ min: 0, max: 99 }),
          interval: fc.integer({ min: o.interval[0], max: o.interval[1] }),
          order: fc.constantFrom("physical", "hlc"),
          hlc: o.hlc === undefined ? fc.constantFrom("paper", "naive") : fc.constant(o.hlc),
          resolution: fc.constantFrom(1, 1, 7, 50, 100),
          network: networkArb({ maxLatency: 150, maxJitter: 150, worst: 0.3 }),
          timeline: fc.array(fc.oneof(faultArb(ids, until), clockChange(ids, until), learnerEvent(ids, until)), { maxLength: o.actions ?? 8 }),
        }).map((d): Scenario => {
          const nodes = ids.map((id, i): NodeSpec => {
            const node: NodeSpec = { id, x: 0.5, y: Math.round((1000 * (i + 0.5)) / n) / 1000 };
            const clock = d.skews[i];
            if (clock !== undefined) node.clock = clock;
            return node;
          });
          const writes = Math.min(d.writes, 99 - d.sends);
          const params = { sends: d.sends / 100, writes: writes / 100, interval: d.interval, order: d.order, hlc: d.hlc, resolution: d.resolution };
          return { v: 1, lab: "clocks", seed: d.seed, until, nodes, network: { ...d.network, reach: 1.5 }, params, timeline: d.timeline };
        }),
      );
    });
}

/** The scenario as a link loads it, with its params parsed (defaults filled); throws if invalid. */
export function loaded(s: Scenario): { scenario: Scenario; params: Record<string, unknown> } {
  const r = loadScenario(s);
  if (!r.ok) throw new Error(`a drawn clocks scenario does not load: ${r.error}\n${JSON.stringify(s)}`);
  return r;
}
