import { describe, expect, it } from "vitest";
import { nextFloat, nextUint32, rngOf, streamState } from "./prng.ts";

describe("the seeded random streams", () => {
  it("give the same pinned values on every machine (a changed value breaks every shared link)", () => {
    const st = streamState(42, "node:n1");
    expect([nextUint32(st), nextUint32(st), nextUint32(st)]).toEqual(PINNED_N1_SEED42);
  });

  it("derive each stream from its seed and its name: every (seed, name) pair has its own pinned draws", () => {
    const first4 = (seed: number, name: string) => {
      const st = streamState(seed, name);
      return Array.from({ length: 4 }, () => nextUint32(st));
    };
    expect({
      "9 node:n1": first4(9, "node:n1"),
      "9 node:n3": first4(9, "node:n3"),
      "9 network": first4(9, "network"),
      "10 node:n3": first4(10, "node:n3"),
      "0 node:n1": first4(0, "node:n1"),
      "4294967295 node:n1": first4(2 ** 32 - 1, "node:n1"),
    }).toEqual({
      "9 node:n1": [1505469116, 2597578648, 3676003928, 2335108142],
      "9 node:n3": [116687705, 4039862896, 1964563174, 3720359897],
      "9 network": [3591736874, 4182482474, 1513638549, 1351955672],
      "10 node:n3": [2431052773, 1649158248, 3693686124, 1851228952],
      "0 node:n1": [1335030450, 2201361831, 1352598472, 1137547334],
      "4294967295 node:n1": [3725123886, 3690487982, 1162055933, 3491462670],
    });
  });

  it("give unrelated streams to the 64 nodes a scenario may have: no two share a first draw", () => {
    const firsts = new Set(Array.from({ length: 64 }, (_, i) => nextUint32(streamState(1, `node:n${i + 1}`))));
    expect(firsts.size).toBe(64);
  });

  it("advance their state in place, and a plain-data copy of the state replays the same draws", () => {
    const st = streamState(42, "node:n1");
    const copy = JSON.parse(JSON.stringify(st)) as typeof st;
    expect(nextUint32(st)).toBe(PINNED_N1_SEED42[0]);
    expect(st).not.toEqual(copy);
    expect([nextUint32(copy), nextUint32(copy), nextUint32(copy)]).toEqual(PINNED_N1_SEED42);
  });

  it("draw floats in [0, 1) and integers within inclusive bounds", () => {
    const st = streamState(3, "x");
    const rng = rngOf(st);
    for (let i = 0; i < 10_000; i++) {
      const f = nextFloat(st);
      expect(f >= 0 && f < 1).toBe(true);
      const k = rng.int(2, 5);
      expect(k >= 2 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });

  it("are roughly uniform (a coarse check that nothing is badly broken)", () => {
    const st = streamState(5, "uniform");
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(nextFloat(st) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

const PINNED_N1_SEED42 = [ 3910850513, 3674123692, 1449049834 ];
