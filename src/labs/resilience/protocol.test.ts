// The downstream's failure modes, one at a time, on the gallery's outage: hard down answers
// nothing; recovering slowly, it takes on work a little at a time until its capacity is back.

import { describe, expect, it } from "vitest";
import type { Scenario } from "../../scenario/types.ts";
import { labKit } from "../testing.ts";
import { resilienceLab } from "./index.ts";

const { gallery, play } = labKit(resilienceLab);

/** The outage scenario with its recovery replaced. */
function recovering(over?: number): Scenario {
  const s = gallery("outage-no-breaker");
  // Offered more than its full capacity, so capacity is what limits the work done.
  return { ...s, params: { ...s.params, interval: 25 }, timeline: s.timeline.map((a) => (a.do === "recover" ? { ...a, ...(over === undefined ? {} : { over }) } : a)) };
}

describe("the downstream's failure modes", () => {
  it("hard down answers nothing: every call made while down goes unanswered", () => {
    const r = play(gallery("outage-no-breaker"), 18_000);
    const down = r.of("call").filter((e) => e.t > 8_100 && e.t < 17_500);
    expect(down.length).toBeGreaterThan(10);
    expect(r.of("swallowed").length).toBeGreaterThanOrEqual(down.length - 10);
    expect(r.of("execute").filter((e) => e.t > 8_700 && e.t < 18_000)).toEqual([]);
  });

  it("recovering over 4 s it executes fewer calls in its first second back than in its fourth, and than a downstream back at once", () => {
    const perSecond = (s: Scenario) => {
      const r = play(s, 24_000);
      return [0, 1, 2, 3].map((k) => r.of("execute").filter((e) => e.t >= 18_000 + k * 1_000 && e.t < 19_000 + k * 1_000).length);
    };
    const slow = perSecond(recovering(4_000));
    const fast = perSecond(recovering());
    expect(slow[0]!).toBeLessThan(slow[3]!);
    expect(slow[0]!).toBeLessThan(fast[0]!);
    expect(slow[3]! / fast[3]!).toBeGreaterThan(0.8);
  });
});
