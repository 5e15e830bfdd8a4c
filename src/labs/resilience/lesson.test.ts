// The resilience lesson keeps its word: every number a step states about its run, and every
// "Try" (its fix applied from 0 s, as the page's button does), gives what the text says.

import { describe, expect, it } from "vitest";
import type { Action } from "../../scenario/types.ts";
import type { Result } from "../../sim/testing.ts";
import { labKit } from "../testing.ts";
import { resilienceLab } from "./index.ts";
import { lesson } from "./lesson.ts";
import { metricsStep, newMetrics, percentile, type Metrics } from "./series.ts";

const { gallery, stepFor, play, withActions, violations } = labKit(resilienceLab);

function metrics(r: Result): Metrics {
  const m = newMetrics({ scenario: r.scenario });
  for (const e of r.events) metricsStep(m, e);
  return m;
}

function tried(name: string): Result {
  const sets: Action[] = stepFor(name).fix!.set.map((x) => ({ t: 0, do: "set", path: x.path, value: x.value }));
  return play(withActions(gallery(name), ...sets));
}

const deepest = (m: Metrics) => Math.max(...m.points.map((p) => p.queue));

/** Retries (attempts after the first) by 20 ms window, the busiest first: [window start, count]. */
function waves(r: Result): [number, number][] {
  const bins = new Map<number, number>();
  for (const e of r.events) if (e.kind === "attempt" && Number(e.attempt) > 1) bins.set(Math.floor(e.t / 20) * 20, (bins.get(Math.floor(e.t / 20) * 20) ?? 0) + 1);
  return [...bins].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

describe("the resilience lesson", () => {
  it("has its steps in order", () => {
    expect(lesson.map((s) => s.scenario)).toEqual(["lossy", "double-charge", "overload-queue", "outage-no-breaker", "outage-breaker", "retry-storm", "partition"]);
  });

  it("lossy: 60 operations executed twice without keys; Try keys: the same 243 retries, none twice", () => {
    const r = play(gallery("lossy"));
    const m = metrics(r);
    expect([m.duplicates, m.totals.retries]).toEqual([60, 243]);
    expect(violations(r)).toEqual([]);
    const t = tried("lossy");
    expect([metrics(t).duplicates, metrics(t).totals.retries]).toEqual([0, 243]);
    expect(violations(t)).toEqual([]);
  });

  it("double-charge: 280 late answers, 86 charged twice; Try keys: none", () => {
    const m = metrics(play(gallery("double-charge")));
    expect([m.totals.late, m.duplicates]).toEqual([280, 86]);
    const t = tried("double-charge");
    expect(metrics(t).duplicates).toBe(0);
    expect(violations(t)).toEqual([]);
  });

  it("overload-queue: queue to 7,658, 3,653 of 4,580 fail, 3,735 late; Try 40: 4,113 refused, 3,402 succeed instead of 678, none late", () => {
    const m = metrics(play(gallery("overload-queue")));
    expect([deepest(m), m.totals.failed, m.totals.ops, m.totals.late, m.totals.ok]).toEqual([7_658, 3_653, 4_580, 3_735, 678]);
    const t = tried("overload-queue");
    const n = metrics(t);
    expect([n.totals.rejected, n.totals.ok, n.totals.late, deepest(n)]).toEqual([4_113, 3_402, 0, 40]);
    expect(violations(t)).toEqual([]);
  });

  it("outage-no-breaker: queue 40, 217 late, p99 890 ms; Try the breaker: opens at 8.9 s, p99 100 ms", () => {
    const m = metrics(play(gallery("outage-no-breaker")));
    expect([deepest(m), m.totals.late, percentile(m, 0.99), m.transitions.length]).toEqual([40, 217, 890, 0]);
    const t = metrics(tried("outage-no-breaker"));
    expect(Math.round(t.transitions[0]!.t / 100) / 10).toBe(8.9);
    expect(t.transitions[0]!.to).toBe("open");
    expect(percentile(t, 0.99)).toBe(100);
  });

  it("outage-breaker: open 8.89 s, half-open 13.9, open 14.4 (a trial failed), half-open 19.4, closed; 647 refused fast", () => {
    const r = play(gallery("outage-breaker"));
    const m = metrics(r);
    expect(m.transitions.map((x) => [Math.round(x.t / 10) / 100, x.to, x.reason])).toEqual([
      [8.89, "open", "error rate 50 % ≥ 50 % over 20 calls"],
      [13.9, "half-open", "open 5000 ms: trying 3 calls"],
      [14.4, "open", "a trial failed"],
      [19.41, "half-open", "open 5000 ms: trying 3 calls"],
      [19.48, "closed", "3 of 3 trials succeeded"],
    ]);
    expect(m.totals.rejected).toBe(647);
    expect(r.of("reject").filter((e) => e.reason === "breaker")).toHaveLength(647);
    expect(violations(r)).toEqual([]);
  });

  it("retry-storm: all twelve retries within 20 ms at 6.24 s and at 6.68 s; Try full jitter: at most 3 in any 20 ms", () => {
    const r = play(gallery("retry-storm"));
    expect(waves(r).slice(0, 2)).toEqual([
      [6_240, 12],
      [6_680, 12],
    ]);
    expect(waves(tried("retry-storm"))[0]![1]).toBe(3);
    expect(violations(r)).toEqual([]);
  });

  it("partition: 19 calls answered 504, open at 7.04 s, half-open at 12.05 s, closed at 12.11 s", () => {
    const r = play(gallery("partition"));
    const m = metrics(r);
    expect(m.transitions.map((x) => [Math.round(x.t / 10) / 100, x.to])).toEqual([
      [7.04, "open"],
      [12.05, "half-open"],
      [12.11, "closed"],
    ]);
    expect(m.transitions[0]!.reason).toBe("error rate 50 % ≥ 50 % over 20 calls");
    expect(r.events.filter((e) => e.kind === "send" && (e.msg as { type: string; status?: number }).type === "res" && (e.msg as { status: number }).status === 504)).toHaveLength(19);
    expect(violations(r)).toEqual([]);
  });
});
