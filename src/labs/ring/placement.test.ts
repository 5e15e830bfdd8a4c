// Placement: what moves when servers come and go, how evenly keys spread, and that a placement
// is a pure function of its spec. Properties use the suite's fixed fast-check seed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hash32, jump, hash64, keyName, placementOf, ringPoints, type Change, type PlacementSpec, type Strategy } from "./placement.ts";

const keys = (n: number) => Array.from({ length: n }, (_, i) => keyName(i));
const servers = (n: number, prefix = "s") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

function owners(spec: PlacementSpec, ks: readonly string[]): string[] {
  const p = placementOf(spec);
  return ks.map((k) => p.owner(k));
}

function moved(strategy: Strategy, initial: string[], change: Change, n: number, vnodes = 150) {
  const ks = keys(n);
  const before = owners({ strategy, vnodes, keys: n, initial, changes: [] }, ks);
  const after = owners({ strategy, vnodes, keys: n, initial, changes: [change] }, ks);
  return { ks, before, after, moved: ks.filter((_, i) => before[i] !== after[i]).length };
}

describe("the hash", () => {
  it("is xxHash32 (the reference values), unsigned", () => {
    expect(hash32("")).toBe(0x02cc5d05);
    expect(hash32("abc")).toBe(0x32d153ff);
    expect(hash32("abc", 1)).toBeGreaterThanOrEqual(0);
  });
  it("jump hash follows Lamping & Veach: keys only ever move to the new last bucket", () => {
    for (let i = 0; i < 2000; i++) {
      const k = hash64(keyName(i));
      for (let n = 1; n < 20; n++) {
        const a = jump(k, n);
        const b = jump(k, n + 1);
        expect(a).toBeLessThan(n);
        if (a !== b) expect(b).toBe(n);
      }
    }
  });
});

describe("a join moves only keys that now belong to the newcomer; a leave only the leaver's", () => {
  const joinable: Strategy[] = ["ring", "rendezvous", "jump", "table", "range"];
  const leavable: Strategy[] = ["ring", "rendezvous", "table", "range"];
  const arb = fc.record({ n: fc.integer({ min: 2, max: 10 }), vnodes: fc.integer({ min: 1, max: 60 }), keys: fc.integer({ min: 50, max: 600 }), pick: fc.nat() });
  for (const strategy of joinable) {
    it(`${strategy}: join`, () => {
      fc.assert(
        fc.property(arb, ({ n, vnodes, keys: k }) => {
          const r = moved(strategy, servers(n), { op: "join", server: "new" }, k, vnodes);
          return r.ks.every((_, i) => r.before[i] === r.after[i] || r.after[i] === "new");
        }),
        { numRuns: 40 },
      );
    });
  }
  for (const strategy of leavable) {
    it(`${strategy}: leave`, () => {
      fc.assert(
        fc.property(arb, ({ n, vnodes, keys: k, pick }) => {
          const initial = servers(n);
          const gone = initial[pick % n]!;
          const r = moved(strategy, initial, { op: "leave", server: gone }, k, vnodes);
          return r.ks.every((_, i) => r.before[i] === r.after[i] || r.before[i] === gone) && !r.after.includes(gone);
        }),
        { numRuns: 40 },
      );
    });
  }
  it("modulo moves most keys when one server joins", () => {
    const r = moved("modulo", servers(10), { op: "join", server: "new" }, 20_000);
    expect(r.moved / 20_000).toBeGreaterThan(0.85);
  });
  it("a replica list is distinct servers, owner first", () => {
    for (const strategy of ["ring", "modulo", "range", "table", "jump", "rendezvous"] as const) {
      const p = placementOf({ strategy, vnodes: 20, keys: 500, initial: servers(5), changes: [] });
      for (const k of keys(500)) {
        const pref = p.preference(k, 3);
        expect(pref[0]).toBe(p.owner(k));
        expect(new Set(pref).size).toBe(3);
      }
    }
  });
});

describe("10 servers, 100,000 keys", () => {
  const N = 100_000;
  it("an 11th server takes close to 1/11 of the keys (ring at 1,000 vnodes, rendezvous, jump, table)", () => {
    const fractions: Record<string, number> = {};
    for (const strategy of ["ring", "rendezvous", "jump", "table"] as const) {
      fractions[strategy] = moved(strategy, servers(10), { op: "join", server: "s11" }, N, 1000).moved / N;
    }
    // What we measure (xxHash32, these names): pinned to a band of ±1.5 points around 1/11 = 9.09 %.
    for (const f of Object.values(fractions)) expect(Math.abs(f - 1 / 11)).toBeLessThan(0.015);
    expect(fractions.table).toBeCloseTo(1 / 11, 3);
  });
  it("jump hash from 10 to 12 buckets moves 1/6 of the keys", () => {
    const ks = keys(N).map(hash64);
    const m = ks.filter((k) => jump(k, 10) !== jump(k, 12)).length / N;
    expect(Math.abs(m - 1 / 6)).toBeLessThan(0.01);
  });
  it("the ring's load spread falls as virtual nodes grow", () => {
    const spread = (vnodes: number) => {
      const p = placementOf({ strategy: "ring", vnodes, keys: N, initial: servers(10), changes: [] });
      const load = new Map<string, number>();
      for (const k of keys(N)) load.set(p.owner(k), (load.get(p.owner(k)) ?? 0) + 1);
      const xs = [...load.values()];
      const mean = N / 10;
      return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / 10) / mean;
    };
    const s = [1, 10, 100, 1000].map(spread);
    expect(s[0]).toBeGreaterThan(s[1]!);
    expect(s[1]).toBeGreaterThan(s[2]!);
    expect(s[2]).toBeGreaterThan(s[3]!);
    expect(s[3]).toBeLessThan(0.06);
    expect(s[0]).toBeGreaterThan(0.3);
  });
  it("a placement is a pure function of its spec (same points, same owners, whatever else was built between)", () => {
    const spec: PlacementSpec = { strategy: "ring", vnodes: 7, keys: 1000, initial: servers(4), changes: [{ op: "join", server: "x" }] };
    const a = owners(spec, keys(1000));
    placementOf({ ...spec, vnodes: 8 });
    expect(owners({ ...spec, initial: [...spec.initial] }, keys(1000))).toEqual(a);
    expect(ringPoints(["a", "b"], 3)).toEqual(ringPoints(["a", "b"], 3));
  });
});
