// The backoff formulas the resilience lab lets learners switch between: each stays within its
// bounds for any attempt, base, cap and draw; exponential doubles until the cap; none is 0;
// decorrelated stays within [base, min(cap, 3 · prev)], also when its sleeps are fed back in as
// a client does; and each call draws exactly as many random values as backoff.ts documents.
// Properties use the suite's fixed fast-check seed.

import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BACKOFFS, backoffDelay, drawsOf, type Backoff } from "./backoff.ts";

/** An rng that hands out the given draws in turn (then repeats the last) and counts them. */
function counting(draws: readonly number[]) {
  let n = 0;
  return {
    next: () => draws[Math.min(n++, draws.length - 1)]!,
    get used() {
      return n;
    },
  };
}

const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
/** base ≤ cap, both finite; prev ≥ base (what decorrelated needs); attempts far past where 2^attempt overflows. */
const args = fc
  .record({
    base: fc.double({ min: 0, max: 10_000, noNaN: true }),
    capOver: fc.double({ min: 0, max: 1e6, noNaN: true }),
    prevOver: fc.double({ min: 0, max: 1e6, noNaN: true }),
    attempt: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5_000 })),
    u: draw,
  })
  .map(({ base, capOver, prevOver, attempt, u }) => ({ base, cap: base + capOver, prev: base + prevOver, attempt, u }));

const expo = (attempt: number, base: number, cap: number) => (base === 0 ? 0 : Math.min(cap, base * 2 ** attempt));

describe("backoffDelay", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps the lab's param names", () => {
    expect(BACKOFFS).toEqual(["none", "exponential", "full-jitter", "equal-jitter", "decorrelated"]);
  });

  it("stays within each strategy's bounds, for any attempt, base, cap and draw", () => {
    fc.assert(
      fc.property(args, ({ base, cap, prev, attempt, u }) => {
        const at = (kind: Backoff) => backoffDelay(kind, attempt, prev, base, cap, counting([u]));
        const v = expo(attempt, base, cap);
        expect(at("none")).toBe(0);
        expect(at("exponential")).toBe(v);
        const full = at("full-jitter");
        expect(full).toBeGreaterThanOrEqual(0);
        expect(full).toBeLessThanOrEqual(v);
        const equal = at("equal-jitter");
        expect(equal).toBeGreaterThanOrEqual(v / 2);
        expect(equal).toBeLessThanOrEqual(v);
        const decorrelated = at("decorrelated");
        expect(decorrelated).toBeGreaterThanOrEqual(base);
        expect(decorrelated).toBeLessThanOrEqual(Math.min(cap, 3 * prev));
        for (const kind of BACKOFFS) {
          expect(Number.isFinite(at(kind)), kind).toBe(true);
          expect(at(kind), kind).toBeLessThanOrEqual(cap);
        }
      }),
    );
  });

  it("reaches the ends of its window at the lowest and highest draws", () => {
    const top = 1 - 2 ** -53; // the largest double below 1
    expect(backoffDelay("full-jitter", 3, 5, 5, 2000, counting([0]))).toBe(0);
    expect(backoffDelay("full-jitter", 3, 5, 5, 2000, counting([top]))).toBeCloseTo(40, 9);
    expect(backoffDelay("equal-jitter", 3, 5, 5, 2000, counting([0]))).toBe(20);
    expect(backoffDelay("equal-jitter", 3, 5, 5, 2000, counting([top]))).toBeCloseTo(40, 9);
    expect(backoffDelay("decorrelated", 1, 100, 5, 2000, counting([0]))).toBe(5);
    expect(backoffDelay("decorrelated", 1, 100, 5, 2000, counting([top]))).toBeCloseTo(300, 9);
    expect(backoffDelay("decorrelated", 1, 1000, 5, 2000, counting([top]))).toBe(2000);
  });

  it("doubles with each attempt until the cap, then stays there", () => {
    // Brooker's numbers: base 5 ms, cap 2,000 ms; the first retry sleeps 2 · base.
    const sleeps = Array.from({ length: 12 }, (_, i) => backoffDelay("exponential", i + 1, 5, 5, 2000, counting([0.5])));
    expect(sleeps).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2000, 2000, 2000, 2000]);
    fc.assert(
      fc.property(args, ({ base, cap, prev, attempt }) => {
        const now = backoffDelay("exponential", attempt, prev, base, cap, counting([0]));
        const next = backoffDelay("exponential", attempt + 1, prev, base, cap, counting([0]));
        expect(next).toBe(Math.min(cap, 2 * now));
      }),
    );
  });

  it("is 0 for none, whatever the arguments", () => {
    fc.assert(fc.property(args, ({ base, cap, prev, attempt, u }) => backoffDelay("none", attempt, prev, base, cap, counting([u])) === 0));
  });

  it("keeps decorrelated sleeps within [base, min(cap, 3 · prev)] when each sleep is fed back in, as a client does", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.array(draw, { minLength: 1, maxLength: 60 }),
        (base, capOver, us) => {
          const cap = base + capOver;
          let prev = base; // before the first retry
          us.forEach((u, i) => {
            const sleep = backoffDelay("decorrelated", i + 1, prev, base, cap, counting([u]));
            expect(sleep).toBeGreaterThanOrEqual(base);
            expect(sleep).toBeLessThanOrEqual(Math.min(cap, 3 * prev));
            prev = sleep;
          });
        },
      ),
    );
  });

  it("draws exactly the documented number of values: none for none and exponential, one for each jittered kind", () => {
    expect(BACKOFFS.map(drawsOf)).toEqual([0, 0, 1, 1, 1]);
    fc.assert(
      fc.property(args, fc.constantFrom(...BACKOFFS), ({ base, cap, prev, attempt, u }, kind) => {
        const rng = counting([u]);
        backoffDelay(kind, attempt, prev, base, cap, rng);
        expect(rng.used).toBe(drawsOf(kind));
      }),
    );
  });

  it("is a function of its arguments and draws alone: never the platform's random source or clock", () => {
    const random = vi.spyOn(Math, "random");
    const now = vi.spyOn(Date, "now");
    const perf = vi.spyOn(performance, "now");
    fc.assert(
      fc.property(args, fc.constantFrom(...BACKOFFS), ({ base, cap, prev, attempt, u }, kind) => {
        expect(backoffDelay(kind, attempt, prev, base, cap, counting([u]))).toBe(backoffDelay(kind, attempt, prev, base, cap, counting([u])));
      }),
    );
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    expect(perf).not.toHaveBeenCalled();
  });

  it("refuses arguments outside its domain, naming the value", () => {
    const rng = counting([0.5]);
    expect(() => backoffDelay("exponential", 0, 5, 5, 2000, rng)).toThrow("attempt must be a whole number from 1, not 0");
    expect(() => backoffDelay("exponential", 1.5, 5, 5, 2000, rng)).toThrow("not 1.5");
    expect(() => backoffDelay("full-jitter", 1, 5, -1, 2000, rng)).toThrow("base must be a finite number ≥ 0, not -1");
    expect(() => backoffDelay("full-jitter", 1, 5, 5, 4, rng)).toThrow("cap must be a finite number ≥ base (5), not 4");
    expect(() => backoffDelay("full-jitter", 1, 5, 5, Infinity, rng)).toThrow("not Infinity");
    expect(() => backoffDelay("decorrelated", 1, 4, 5, 2000, rng)).toThrow("previous sleep ≥ base (5), not 4");
    expect(() => backoffDelay("decorrelated", 1, NaN, 5, 2000, rng)).toThrow("not NaN");
    expect(rng.used).toBe(0);
  });
});
