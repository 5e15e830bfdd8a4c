import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FC_SEED, seedFrom } from "./fast-check-seed.ts";

describe("the fast-check seed", () => {
  it("is the fixed default unless FC_SEED names another", () => {
    expect(seedFrom(undefined)).toBe(DEFAULT_FC_SEED);
    expect(seedFrom("")).toBe(DEFAULT_FC_SEED);
    expect(seedFrom("42")).toBe(42);
    expect(seedFrom(" -7 ")).toBe(-7);
  });

  it("refuses an FC_SEED that is not a 32-bit whole number, saying what it got", () => {
    for (const bad of ["abc", "1.5", "1e3", "0x10", String(2 ** 32), String(-(2 ** 31) - 1)]) {
      expect(() => seedFrom(bad), bad).toThrow(`FC_SEED must be a whole number between -2147483648 and 4294967295, not "${bad}".`);
    }
  });

  it("is set globally by the unit project's setup file, so properties draw the same cases each run", () => {
    expect(fc.readConfigureGlobal().seed).toBe(seedFrom(process.env.FC_SEED));
    // No seed given here: both samples start from the global one.
    const a = fc.sample(fc.array(fc.nat(), { minLength: 5 }), 20);
    const b = fc.sample(fc.array(fc.nat(), { minLength: 5 }), 20);
    expect(b).toEqual(a);
  });

  it("changes the cases when FC_SEED changes", () => {
    const draw = (seed: number) => fc.sample(fc.array(fc.nat(), { minLength: 5 }), { numRuns: 20, seed });
    expect(draw(DEFAULT_FC_SEED)).toEqual(draw(DEFAULT_FC_SEED));
    expect(draw(DEFAULT_FC_SEED + 1)).not.toEqual(draw(DEFAULT_FC_SEED));
  });
});
