// What a `set` may reach, as links carry it: one node's clock field, one field of a param
// object; each checked against the rule of what it sets, and a param set made whole by the
// lab's schema (its defaults filled) so the engine hands protocols parsed params.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { scenario } from "./build.ts";
import { parseScenario, type LabParamsSchema } from "./schema.ts";
import type { Action } from "./types.ts";

const lab: LabParamsSchema = {
  id: "demo",
  params: v.object({
    breaker: v.optional(v.object({ enabled: v.optional(v.boolean(), false), threshold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.5) }), {}),
  }),
};

const withSet = (...timeline: Action[]) => parseScenario({ ...scenario({ lab: "demo", nodes: 2 }), timeline }, [lab]);

describe("a set action", () => {
  it("reaches one node's clock offset, drift or step", () => {
    const r = withSet({ t: 10, do: "set", path: "nodes.n2.clock.offset", value: -250 }, { t: 20, do: "set", path: "nodes.n1.clock.step", value: { at: 30, by: -5 } });
    expect(r.ok).toBe(true);
  });

  it("refuses a clock field out of range, and a node that is not there, in a sentence", () => {
    expect(withSet({ t: 10, do: "set", path: "nodes.n2.clock.drift", value: 3 })).toEqual({
      ok: false,
      error: "The scenario is not valid: timeline[0].value must be a number between -0.5 and 0.5.",
    });
    expect(withSet({ t: 10, do: "set", path: "nodes.n9.clock.offset", value: 1 })).toEqual({
      ok: false,
      error: 'The scenario is not valid: timeline[0].path must name one of the scenario\'s nodes ("n9" is not one).',
    });
  });

  it("reaches one field of a param object, checked against the lab's schema", () => {
    const r = withSet({ t: 10, do: "set", path: "params.breaker.threshold", value: 0.9 });
    expect(r.ok && r.scenario.timeline[0]).toEqual({ t: 10, do: "set", path: "params.breaker.threshold", value: 0.9 });
    const bad = withSet({ t: 10, do: "set", path: "params.breaker.threshold", value: 7 });
    expect(bad.ok ? "accepted" : bad.error).toBe(
      "The scenario is not valid: timeline[0] sets params.breaker.threshold to a value the demo lab does not accept (params.breaker.threshold must be at most 1).",
    );
  });

  it("fills a whole param object's defaults, so the engine sets what the lab parsed", () => {
    const r = withSet({ t: 10, do: "set", path: "params.breaker", value: { enabled: true } });
    expect(r.ok && r.scenario.timeline[0]).toEqual({ t: 10, do: "set", path: "params.breaker", value: { enabled: true, threshold: 0.5 } });
  });
});
