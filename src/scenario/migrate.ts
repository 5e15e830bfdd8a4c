// Scenario format versions. Links in the wild never expire, so a scenario written by an older
// splitbrain is upgraded here, one version at a time, before the schema sees it: the schema only
// ever has to know the current shape.

import { SCENARIO_VERSION } from "./types.ts";

export type MigrateResult = { ok: true; value: unknown } | { ok: false; error: string };

type Step = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * STEPS[n] turns a version-n scenario into a version-(n+1) one. It must not mutate its input
 * (the caller may still hold it), and it must set `v` to n + 1.
 *
 * Empty while v1 is the only format. When v2 comes, add the step and bump SCENARIO_VERSION:
 *
 *   1: (s) => ({
 *     ...s,
 *     v: 2,
 *     // v2 split `latency: [min, max]` into `latency: { min, max }`
 *     network: { ...(s.network as object), latency: toMinMax((s.network as any)?.latency) },
 *   }),
 *
 * A step may leave a field malformed when its input was; the schema after it reports that.
 */
const STEPS: Readonly<Record<number, Step>> = {};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function migrate(input: unknown): MigrateResult {
  if (!isRecord(input)) {
    return { ok: false, error: "This is not a splitbrain scenario: it must be a JSON object." };
  }
  const v = input.v;
  if (v === undefined) {
    return { ok: false, error: 'This is not a splitbrain scenario: it has no format version (the field "v").' };
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    return { ok: false, error: 'The scenario\'s format version (the field "v") must be a whole number of at least 1.' };
  }
  if (v > SCENARIO_VERSION) {
    return {
      ok: false,
      error: `This link was made by a newer version of splitbrain (scenario format v${v}); this version reads up to v${SCENARIO_VERSION}.`,
    };
  }
  let value: Record<string, unknown> = input;
  for (let from = v; from < SCENARIO_VERSION; from++) {
    const step = STEPS[from];
    // Only reachable if SCENARIO_VERSION was bumped without adding its step.
    if (step === undefined) return { ok: false, error: `This version of splitbrain cannot read scenario format v${from}.` };
    value = step(value);
  }
  return { ok: true, value };
}
