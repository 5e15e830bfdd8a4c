import { describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { SCENARIO_VERSION } from "./types.ts";

describe("migrate", () => {
  it("passes a current-version scenario through untouched", () => {
    const s = { v: SCENARIO_VERSION, lab: "gossip", anything: [1, 2] };
    const r = migrate(s);
    expect(r).toEqual({ ok: true, value: s });
    if (r.ok) expect(r.value).toBe(s);
  });

  it("refuses a scenario from a newer splitbrain, saying which version made it", () => {
    expect(migrate({ v: 7 })).toEqual({
      ok: false,
      error: "This link was made by a newer version of splitbrain (scenario format v7); this version reads up to v1.",
    });
  });

  it("refuses a scenario with no version", () => {
    expect(migrate({ lab: "gossip" })).toEqual({
      ok: false,
      error: 'This is not a splitbrain scenario: it has no format version (the field "v").',
    });
  });

  it("refuses a version that is not a whole number of at least 1", () => {
    for (const v of [0, -1, 1.5, "1", null, true, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(migrate({ v })).toEqual({
        ok: false,
        error: 'The scenario\'s format version (the field "v") must be a whole number of at least 1.',
      });
    }
  });

  it("refuses anything that is not a JSON object", () => {
    for (const input of [undefined, null, 1, "x", [], [{ v: 1 }]]) {
      expect(migrate(input)).toEqual({ ok: false, error: "This is not a splitbrain scenario: it must be a JSON object." });
    }
  });
});
