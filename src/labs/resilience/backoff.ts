// How long a client sleeps before it retries: the five strategies of Marc Brooker's
// "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015), which the resilience lab lets
// learners switch between and `npm run bench` (tests/bench/backoff.ts) reproduces.
//
// Pure functions of their arguments: the randomness comes in as an `Rng`'s `next()` (a float
// in [0, 1)), never from the platform's random source or clock, so a scenario replays the same
// sleeps on every machine. Each call draws a fixed number of values, whatever the arguments:
//
//   none, exponential                         no draw
//   full-jitter, equal-jitter, decorrelated   exactly one draw
//
// so a learner who switches strategy mid-run shifts a node's random stream by a known amount,
// and a trace stays stable when a cap or a base changes.
//
// With v = min(cap, base · 2^attempt), attempt 1 being the first retry (the sleep before it is
// 2 · base, as in Brooker's simulator):
//
//   none          0
//   exponential   v
//   full-jitter   random_between(0, v)                     in [0, v]
//   equal-jitter  v/2 + random_between(0, v/2)             in [v/2, v]
//   decorrelated  min(cap, random_between(base, prev · 3)) in [base, min(cap, 3 · prev)]
//
// Decorrelated jitter: the lower bound is `base`, as in Brooker's published simulator
// (aws-samples/aws-arch-backoff-simulator, `ExpoBackoffDecorr`: `min(cap, uniform(base,
// sleep * 3))`, its sleep starting at base), which drew the blog's figures; the blog's text,
// as quoted elsewhere, gives `random_between(base, sleep * 3)` too. The other reading,
// `random_between(0, sleep * 3)`, lets a sleep fall towards zero, and the next window (0 to
// 3 · prev) shrinks with it, so a client that draws low keeps retrying almost at once; with
// `base` as the floor every sleep is at least `base`.
//
// The bounds are closed at the top: u · x with u < 1 can still round up to x in floating point.

import type { Rng } from "../../sim/types.ts";

export type Backoff = "none" | "exponential" | "full-jitter" | "equal-jitter" | "decorrelated";

/** Every strategy, in the order the lab's panel and the bench list them. */
export const BACKOFFS: readonly Backoff[] = ["none", "exponential", "full-jitter", "equal-jitter", "decorrelated"];

/** The number of `rng.next()` draws one `backoffDelay` call makes for `kind`. */
export function drawsOf(kind: Backoff): 0 | 1 {
  return kind === "none" || kind === "exponential" ? 0 : 1;
}

/**
 * Exponential backoff without jitter: base · 2^attempt, capped. Past attempt 1023, 2^attempt is
 * Infinity, so the cap; a base of 0 stays 0 there too (0 · Infinity would be NaN).
 */
function exponential(attempt: number, base: number, cap: number): number {
  return base === 0 ? 0 : Math.min(cap, base * 2 ** attempt);
}

/**
 * The sleep, in ms, before retry number `attempt` (1 = the first retry).
 *
 * `prev` is the previous sleep, read only by `decorrelated` (pass `base` before the first
 * retry); the others ignore it. Needs 0 ≤ base ≤ cap and, for decorrelated, prev ≥ base
 * (which every sleep it returns is, so feeding its result back in always qualifies); anything
 * else is a RangeError naming the value, as is an attempt that is not a whole number ≥ 1.
 */
export function backoffDelay(
  kind: Backoff,
  attempt: number,
  prev: number,
  base: number,
  cap: number,
  rng: Pick<Rng, "next">,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`backoff attempt must be a whole number from 1, not ${attempt}`);
  if (!(base >= 0) || !Number.isFinite(base)) throw new RangeError(`backoff base must be a finite number ≥ 0, not ${base}`);
  if (!(cap >= base) || !Number.isFinite(cap)) throw new RangeError(`backoff cap must be a finite number ≥ base (${base}), not ${cap}`);
  switch (kind) {
    case "none":
      return 0;
    case "exponential":
      return exponential(attempt, base, cap);
    case "full-jitter":
      return rng.next() * exponential(attempt, base, cap);
    case "equal-jitter": {
      const v = exponential(attempt, base, cap);
      // The `v` only catches rounding above it (halves of the tiniest doubles are not exact).
      return Math.min(v, v / 2 + rng.next() * (v / 2));
    }
    case "decorrelated": {
      if (!(prev >= base) || !Number.isFinite(prev)) throw new RangeError(`decorrelated backoff needs the previous sleep ≥ base (${base}), not ${prev}`);
      // The extra `prev * 3` only catches a last-bit rounding of base + u · (3 · prev − base) above 3 · prev.
      return Math.min(cap, prev * 3, base + rng.next() * (prev * 3 - base));
    }
  }
}
