// The token bucket admits exactly what its rate and burst allow, and never more; AIMD and Vegas
// stay within their bounds and move the way their rules say. Properties use the suite's fixed
// fast-check seed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aimdOnDrop,
  aimdOnSuccess,
  DEFAULT_AIMD,
  DEFAULT_VEGAS,
  newAimd,
  newBucket,
  newVegas,
  permits,
  takeToken,
  vegasLog,
  vegasOnSample,
  vegasQueue,
  type AimdConfig,
  type Bucket,
  type VegasConfig,
} from "./limits.ts";

/** Requests offered at every instant in `times` until one is refused (more demand than tokens); the count admitted. */
function saturate(rate: number, burst: number, times: readonly number[]): number {
  let b = newBucket(burst, times[0] ?? 0);
  let admitted = 0;
  for (const t of times) {
    for (;;) {
      const r = takeToken(b, rate, burst, t);
      b = r.bucket;
      if (!r.ok) break;
      admitted++;
    }
  }
  return admitted;
}

/** Every `step` ms from 0 to `t`, with `step` a power-of-two fraction of a ms so the times are exact. */
function ticks(t: number, step = 1): number[] {
  return Array.from({ length: Math.floor(t / step) + 1 }, (_, i) => i * step);
}

describe("the token bucket", () => {
  it("starts full and admits its burst at once, then one request per 1/rate s", () => {
    let b = newBucket(3, 0);
    const at0 = [1, 2, 3, 4].map(() => {
      const r = takeToken(b, 10, 3, 0);
      b = r.bucket;
      return r.ok;
    });
    expect(at0).toEqual([true, true, true, false]);
    expect(takeToken(b, 10, 3, 99.875).ok).toBe(false);
    const at100 = takeToken(b, 10, 3, 100);
    expect(at100.ok).toBe(true);
    expect(at100.bucket).toEqual({ tokens: 0, at: 100 });
  });

  it("refills up to burst and no further", () => {
    const b = takeToken(newBucket(5, 0), 10, 5, 0).bucket; // 4 left
    expect(takeToken(b, 10, 5, 1_000_000).bucket).toEqual({ tokens: 4, at: 1_000_000 });
  });

  it("admits exactly floor(rate · t / 1000 + burst) when requests keep arriving", () => {
    const cases: [rate: number, burst: number, t: number][] = [
      [10, 5, 1000], // 15
      [10, 5, 999], // 14.99 → 14
      [0.5, 1, 3000], // 2.5 → 2
      [0.1, 2, 10_000], // 3
      [0.3, 2, 10_000], // 5
      [7, 1.5, 1], // 1.507 → 1
      [1000, 2, 1], // 3
      [333.333, 3, 3000], // 1002.999 → 1002
      [0, 4, 5000], // 4
    ];
    for (const [rate, burst, t] of cases) {
      expect(saturate(rate, burst, ticks(t)), `${rate}/s, burst ${burst}, ${t} ms`).toBe(Math.floor((Math.round(rate * 1000) * t + burst * 1e6) / 1e6));
    }
  });

  it("loses what it earns while full: at burst 1, requests every ms see each token only at the next whole ms", () => {
    // 0.3/s: a token every 3333.3 ms, but taken at 3334 and 6668 ms, so the fourth is not ready at 10 000 ms.
    expect(saturate(0.3, 1, ticks(10_000))).toBe(3);
    expect(saturate(0.3, 1, ticks(10_002))).toBe(4);
  });

  it("admits exactly that many for continuous arrival at any rate to the thousandth, burst and span (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }), // rate in thousandths of a token a second: 0 to 2000/s
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.constantFrom(1, 0.5, 0.125, 4),
        (milli, extra, t, step) => {
          // Requests every `step` ms: a burst that holds a whole token plus a step's earnings never fills between them.
          const burst = 1 + Math.ceil((milli * step) / 1e6) + extra;
          const span = Math.floor(t / step) * step;
          expect(saturate(milli / 1000, burst, ticks(t, step))).toBe(Math.floor((milli * span + burst * 1e6) / 1e6));
        },
      ),
    );
  });

  /** Whether no window [t_i, t_j] of the arrivals admitted more than floor(rate · (t_j − t_i) / 1000 + burst + slack). */
  function neverMore(milli: number, burst: number, times: readonly number[], bound: (span: number) => number): void {
    let b = newBucket(burst, times[0] ?? 0);
    const admittedAt: number[] = [];
    for (const t of times) {
      const r = takeToken(b, milli / 1000, burst, t);
      expect(r.bucket.tokens).toBeGreaterThanOrEqual(0);
      expect(r.bucket.tokens).toBeLessThanOrEqual(burst);
      b = r.bucket;
      if (r.ok) admittedAt.push(t);
    }
    // Admitted requests are in time order: a window's count is a difference of indices.
    for (let i = 0; i < admittedAt.length; i++) {
      for (let j = i; j < admittedAt.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(bound(admittedAt[j]! - admittedAt[i]!));
      }
    }
    // And from the start, when the bucket was full.
    if (times.length > 0) expect(admittedAt.length).toBeLessThanOrEqual(bound(times[times.length - 1]! - times[0]!));
  }

  it("never admits more than floor(rate · t / 1000 + burst) over any t ms, for any arrivals (property)", () => {
    // Times in eighths of a ms, so differences are exact and the bound is exact too.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 80_000 }), { maxLength: 150, size: "max" }),
        (milli, burst, eighths) => {
          const times = [...eighths].sort((a, b) => a - b).map((e) => e / 8);
          neverMore(milli, burst, times, (span) => Math.floor((milli * span * 8 + burst * 8e6) / 8e6));
        },
      ),
    );
  });

  it("never admits more for arrivals at arbitrary floating-point times either (property)", () => {
    // Here time differences are themselves rounded, so the bound allows a millionth of a token.
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 2000, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 150, size: "max" }),
        (rate, burst, raw) => {
          const times = [...raw].sort((a, b) => a - b);
          neverMore(rate * 1000, burst, times, (span) => Math.floor((rate * span) / 1000 + burst + 1e-6));
        },
      ),
    );
  });

  it("credits no time twice when a node's clock steps back", () => {
    let b = newBucket(2, 1000);
    b = takeToken(b, 1, 2, 1000).bucket;
    b = takeToken(b, 1, 2, 1000).bucket;
    const back = takeToken(b, 1, 2, 400); // stepped back 600 ms: nothing earned, `at` kept
    expect(back).toEqual({ bucket: { tokens: 0, at: 1000 }, ok: false });
    expect(takeToken(back.bucket, 1, 2, 1999).ok).toBe(false);
    expect(takeToken(back.bucket, 1, 2, 2000).ok).toBe(true);
  });

  it("admits nothing with a burst below one, and nothing more at rate 0", () => {
    expect(takeToken(newBucket(0.5, 0), 100, 0.5, 1000).ok).toBe(false);
    let b: Bucket = newBucket(2, 0);
    const oks = [0, 1000, 1e9, 2e9].map((t) => {
      const r = takeToken(b, 0, 2, t);
      b = r.bucket;
      return r.ok;
    });
    expect(oks).toEqual([true, true, false, false]);
  });

  it("does not change the bucket it is given", () => {
    const b = newBucket(3, 0);
    takeToken(b, 5, 3, 500);
    expect(b).toEqual({ tokens: 3, at: 0 });
  });
});

describe("AIMD", () => {
  const cfg = (over: Partial<AimdConfig> = {}): AimdConfig => ({ ...DEFAULT_AIMD, ...over });

  it("starts at its initial limit, within bounds", () => {
    expect(newAimd(cfg())).toEqual({ limit: 10 });
    expect(newAimd(cfg({ initialLimit: 500 }))).toEqual({ limit: 100 });
    expect(newAimd(cfg({ initialLimit: 0, minLimit: 0 }))).toEqual({ limit: 1 });
  });

  it("adds 1/limit a success: about one for every `limit` successes", () => {
    expect(aimdOnSuccess({ limit: 10 }, cfg()).limit).toBeCloseTo(10.1, 12);
    expect(aimdOnSuccess({ limit: 4 }, cfg()).limit).toBe(4.25);
    let a = { limit: 10 };
    let n = 0;
    while (a.limit < 11) {
      a = aimdOnSuccess(a, cfg());
      n++;
    }
    expect(n).toBe(11); // limit² grows by about 2 a success: 10 → 11 takes (121 − 100) / 2 ≈ 10.5
    expect(permits(a)).toBe(11);
  });

  it("does not grow while the node uses less than half its limit", () => {
    expect(aimdOnSuccess({ limit: 10 }, cfg(), 4)).toEqual({ limit: 10 });
    expect(aimdOnSuccess({ limit: 10 }, cfg(), 5).limit).toBeCloseTo(10.1, 12);
  });

  it("backs off to floor(limit · ratio), not below minLimit", () => {
    expect(aimdOnDrop({ limit: 10 }, cfg())).toEqual({ limit: 9 });
    expect(aimdOnDrop({ limit: 10.95 }, cfg())).toEqual({ limit: 9 });
    expect(aimdOnDrop({ limit: 90 }, cfg({ backoffRatio: 0.7 }))).toEqual({ limit: 63 });
    expect(aimdOnDrop({ limit: 5 }, cfg({ minLimit: 5 }))).toEqual({ limit: 5 });
    expect(aimdOnDrop({ limit: 1 }, cfg())).toEqual({ limit: 1 });
    expect(aimdOnDrop({ limit: 6 }, cfg({ minLimit: 4, backoffRatio: 0.5 }))).toEqual({ limit: 4 });
  });

  it("stops at maxLimit", () => {
    expect(aimdOnSuccess({ limit: 100 }, cfg())).toEqual({ limit: 100 });
    expect(aimdOnSuccess({ limit: 99.995 }, cfg())).toEqual({ limit: 100 });
  });

  it("stays within [min, max], successes never lower it and drops never raise it (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.array(fc.record({ drop: fc.boolean(), inflight: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }), { maxLength: 300, size: "max" }),
        (minLimit, maxLimit, initialLimit, backoffRatio, events) => {
          const c: AimdConfig = { minLimit, maxLimit, initialLimit, backoffRatio };
          const lo = Math.max(1, minLimit);
          const hi = Math.max(lo, maxLimit);
          let a = newAimd(c);
          for (const e of events) {
            const next = e.drop ? aimdOnDrop(a, c) : aimdOnSuccess(a, c, e.inflight);
            expect(next.limit).toBeGreaterThanOrEqual(lo);
            expect(next.limit).toBeLessThanOrEqual(hi);
            if (e.drop) {
              expect(next.limit).toBeLessThanOrEqual(a.limit);
              if (a.limit > lo) expect(next.limit).toBeLessThan(a.limit);
              expect(Number.isInteger(next.limit)).toBe(true);
            } else {
              expect(next.limit).toBeGreaterThanOrEqual(a.limit);
              if (a.limit < hi && (e.inflight === undefined || e.inflight * 2 >= a.limit)) expect(next.limit).toBeGreaterThan(a.limit);
            }
            a = next;
          }
        },
      ),
    );
  });
});

describe("Vegas", () => {
  const cfg = (over: Partial<VegasConfig> = {}): VegasConfig => ({ ...DEFAULT_VEGAS, ...over });

  it("takes log10 as VegasLimit does: at least 1, whole, square root from 1000", () => {
    expect([0, 0.5, 1, 9, 10, 99, 99.9, 100, 999, 1000, 1500].map(vegasLog)).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2, 31, 38]);
  });

  it("learns the no-load RTT from the first sample and every lower one, the limit unchanged", () => {
    let v = newVegas(cfg());
    expect(v).toEqual({ limit: 20, rttNoLoad: 0 });
    v = vegasOnSample(v, cfg(), 120, 20);
    expect(v).toEqual({ limit: 20, rttNoLoad: 120 });
    v = vegasOnSample(v, cfg(), 100, 20, true);
    expect(v).toEqual({ limit: 20, rttNoLoad: 100 });
  });

  const at = (limit: number) => ({ limit, rttNoLoad: 100 });

  it("moves by the queue it estimates: + beta with none, + log below alpha, − log above beta, none between", () => {
    // limit 20: log 1, alpha 3, beta 6, threshold 1.
    expect(vegasQueue(at(20), 100)).toBe(0);
    expect(vegasOnSample(at(20), cfg(), 100, 20)).toEqual(at(26));
    expect(vegasQueue(at(20), 105)).toBe(1); // ceil(0.95…)
    expect(vegasOnSample(at(20), cfg(), 105, 20)).toEqual(at(26));
    expect(vegasQueue(at(20), 110)).toBe(2);
    expect(vegasOnSample(at(20), cfg(), 110, 20)).toEqual(at(21));
    expect(vegasQueue(at(20), 125)).toBe(4);
    expect(vegasOnSample(at(20), cfg(), 125, 20)).toEqual(at(20));
    expect(vegasQueue(at(20), 142)).toBe(6); // ceil(5.9…)
    expect(vegasOnSample(at(20), cfg(), 142, 20)).toEqual(at(20));
    expect(vegasQueue(at(20), 200)).toBe(10);
    expect(vegasOnSample(at(20), cfg(), 200, 20)).toEqual(at(19));
    // limit 150: log 2, so + 12 with no queue and − 2 with a long one.
    expect(vegasOnSample(at(150), cfg(), 100, 150)).toEqual(at(162));
    expect(vegasOnSample(at(150), cfg(), 300, 150)).toEqual(at(148));
  });

  it("backs off by log on a drop, whatever the latency", () => {
    expect(vegasOnSample(at(20), cfg(), 100, 20, true)).toEqual(at(19));
    expect(vegasOnSample(at(150), cfg(), 100, 0, true)).toEqual(at(148));
  });

  it("does not grow while the node uses less than half its limit", () => {
    expect(vegasOnSample(at(20), cfg(), 100, 9)).toEqual(at(20));
    expect(vegasOnSample(at(20), cfg(), 200, 9)).toEqual(at(20));
    expect(vegasOnSample(at(20), cfg(), 100, 10)).toEqual(at(26));
  });

  it("stays within [min, max]", () => {
    expect(vegasOnSample(at(998), cfg(), 100, 998)).toEqual(at(1000));
    expect(vegasOnSample(at(4), cfg({ minLimit: 4 }), 1000, 4)).toEqual(at(4));
    expect(vegasOnSample(at(1), cfg(), 100, 1, true)).toEqual(at(1));
  });

  it("ignores a sample without a positive RTT", () => {
    const v = at(20);
    expect(vegasOnSample(v, cfg(), 0, 20)).toBe(v);
    expect(vegasOnSample(v, cfg(), Number.NaN, 20)).toBe(v);
  });

  it("stays within [min, max], keeps the least RTT, and moves in its rule's direction (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.array(
          fc.record({ rtt: fc.double({ min: 0.5, max: 5000, noNaN: true }), use: fc.double({ min: 0, max: 2, noNaN: true }), dropped: fc.boolean() }),
          { maxLength: 300, size: "max" },
        ),
        (minLimit, maxLimit, initialLimit, samples) => {
          const c: VegasConfig = { minLimit, maxLimit, initialLimit };
          const lo = Math.max(1, minLimit);
          const hi = Math.max(lo, maxLimit);
          let v = newVegas(c);
          let least = Infinity;
          for (const s of samples) {
            const inflight = Math.round(s.use * v.limit);
            const queue = vegasQueue(v, s.rtt);
            const next = vegasOnSample(v, c, s.rtt, inflight, s.dropped);
            least = Math.min(least, s.rtt);
            expect(next.rttNoLoad).toBe(least);
            expect(next.limit).toBeGreaterThanOrEqual(lo);
            expect(next.limit).toBeLessThanOrEqual(hi);
            const newMin = v.rttNoLoad === 0 || s.rtt < v.rttNoLoad;
            if (newMin) expect(next.limit).toBe(v.limit);
            else if (s.dropped) expect(next.limit).toBeLessThanOrEqual(v.limit);
            else if (inflight * 2 < v.limit) expect(next.limit).toBe(v.limit);
            else if (queue < 3 * vegasLog(v.limit)) expect(next.limit).toBeGreaterThanOrEqual(v.limit);
            else if (queue > 6 * vegasLog(v.limit)) expect(next.limit).toBeLessThanOrEqual(v.limit);
            else expect(next.limit).toBe(v.limit);
            v = next;
          }
        },
      ),
    );
  });
});
