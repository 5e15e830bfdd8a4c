import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonNumber } from "./jsonl.ts";
import { writeShortest } from "./shortest.ts";

const buf = new Uint8Array(64);
/** What writeShortest writes for x, or null when it leaves x to String(x). */
function shortest(x: number): string | null {
  const end = writeShortest(buf, 0, x);
  return end < 0 ? null : new TextDecoder().decode(buf.subarray(0, end));
}

/** A double from two 32-bit words: every bit pattern, NaNs and infinities included. */
function fromBits(hi: number, lo: number): number {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  u[0] = lo;
  u[1] = hi;
  return f[0]!;
}

/** A fixed xorshift stream, so the sweep below tries the same million numbers every run. */
function stream(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

describe("the shortest digits of a double", () => {
  it("are String(x)'s whenever it writes them, for any double", () => {
    const anyDouble = fc.oneof(
      fc.double(),
      fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([hi, lo]) => fromBits(hi, lo)),
      // Times as the engine makes them: a start, plus a latency drawn from a range.
      fc.tuple(fc.double({ min: 0, max: 86_400_000, noNaN: true }), fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([t, lo, u]) => t + lo + u * 40),
      // Short decimals, halves, and numbers next to powers of two and of ten.
      fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 15 })).map(([n, k]) => n / 10 ** k),
      fc.integer({ min: 1, max: 1e9 }).map((n) => n + 0.5),
      fc.tuple(fc.integer({ min: 0, max: 52 }), fc.constantFrom(-2, -1, 1, 2)).map(([e, d]) => 2 ** e + d * 2 ** (e - 52)),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.constantFrom(-2, -1, 1, 2)).map(([k, d]) => 10 ** k * (1 + d * 2 ** -52)),
    );
    fc.assert(
      fc.property(anyDouble, (x) => {
        const s = shortest(x);
        if (s !== null) expect(s).toBe(String(x));
        expect(jsonNumber(x)).toBe(JSON.stringify(x));
      }),
      { numRuns: 50_000 },
    );
  });

  it("agree with String(x) on a million times and doubles, and leave few to it", () => {
    const next = stream(20261129);
    let written = 0;
    let times = 0;
    const bad: number[] = [];
    for (let i = 0; i < 250_000; i++) {
      const t = next() * 3_600_000;
      const xs = [t, t + 20 + next() * 40, next() * 10, fromBits((next() * 2 ** 32) >>> 0, (next() * 2 ** 32) >>> 0)];
      for (const x of xs) {
        const s = shortest(x);
        if (s !== null) {
          written++;
          if (s !== String(x)) bad.push(x);
        }
      }
      times += shortest(t) !== null ? 1 : 0;
    }
    expect(bad).toEqual([]);
    // The point is speed: nearly every time of a run takes the fast path.
    expect(times / 250_000).toBeGreaterThan(0.99);
    expect(written).toBeGreaterThan(600_000);
  });

  it("writes the fractions of simple numbers, negatives and the edges of its range", () => {
    for (const x of [1.5, -1.5, 0.1 + 0.2 + 1, 1074.531221576035, 209.16486271191388, 3599999.9999999995, 4503599627370495.5, -123.456]) {
      expect(shortest(x), String(x)).toBe(String(x));
    }
    // Outside its range, or a power of two: left to String(x).
    for (const x of [0.5, 0.25, 0.1, -0.75, 4503599627370496.5, 1e21, NaN, Infinity, 3, 2 ** 40]) expect(shortest(x), String(x)).toBeNull();
  });
});
