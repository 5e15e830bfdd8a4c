import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { Watch } from "../checking.ts";
import { Simulation } from "../../sim/simulation.ts";
import { gossipLab } from "./index.ts";
import { MAX_POINTS, type Agreement } from "./series.ts";

function agreementOf(name: string, until?: number, incEvery?: number): Agreement {
  const g = gossipLab.scenarios.find((x) => x.name === name)!;
  const extra = incEvery === undefined ? [] : Array.from({ length: Math.floor((until ?? g.until) / incEvery) }, (_, k) => ({ t: (k + 1) * incEvery, do: "command" as const, node: "n1", cmd: "inc" }));
  const s = { ...g, timeline: [...g.timeline, ...extra] };
  const params = v.parse(gossipLab.params, s.params);
  const sim = new Simulation(until === undefined ? s : { ...s, until }, gossipLab.protocol, params);
  const watch = new Watch([], gossipLab.reducers!, { scenario: s, params });
  sim.runUntil(until ?? s.until);
  watch.feed(sim.engine.trace.events, 0);
  return watch.series("agreement") as Agreement;
}

describe("the gossip agreement series", () => {
  it("spans the two halves' totals while the network is split, and closes when every node agrees", () => {
    const a = agreementOf("partition-heal");
    // Points are kept where something changes: the last one before the heal at 9 s.
    const during = a.points.filter((p) => p.t < 9_000).at(-1)!;
    expect(during).toMatchObject({ made: 8, lo: 3, hi: 5 });
    expect(a.points.at(-1)).toMatchObject({ made: 8, lo: 8, hi: 8 });
  });

  it("leaves out a crashed node's total until it reports again", () => {
    const a = agreementOf("lossy");
    expect(a.points.every((p) => p.lo === null || p.lo <= p.hi!)).toBe(true);
    expect(a.points.at(-1)).toMatchObject({ lo: a.points.at(-1)!.made, hi: a.points.at(-1)!.made });
  });

  it("stays bounded on an hour-long run", () => {
    const a = agreementOf("steady", 3_600_000, 1_000);
    expect(a.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(a.points.length).toBeGreaterThan(10);
    expect(a.points.at(-1)!.t).toBeGreaterThan(3_000_000);
  });
});
