// The clocks lesson keeps its word: every number a step states about its run, and every "Try"
// (its fix applied from 0 s, as the page's button does), gives what the text says.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Action } from "../../scenario/types.ts";
import type { Result } from "../../sim/testing.ts";
import { labKit } from "../testing.ts";
import { vcCompare } from "./clocks.ts";
import { clocksLab } from "./index.ts";
import { lesson } from "./lesson.ts";
import type { ClocksView } from "./protocol.ts";
import { lostWrites, newSpacetime, spacetimeStep, type Spacetime } from "./series.ts";

const { gallery, stepFor, play, withActions, violations } = labKit(clocksLab);

function series(r: Result): Spacetime {
  const s = newSpacetime({ scenario: r.scenario, params: v.parse(clocksLab.params, r.scenario.params) });
  for (const e of r.events) spacetimeStep(s, e);
  return s;
}

function tried(name: string, until?: number): Result {
  const sets: Action[] = stepFor(name).fix!.set.map((x) => ({ t: 0, do: "set", path: x.path, value: x.value }));
  return play(withActions(gallery(name), ...sets), until);
}

const ahead = (s: Spacetime) => Math.max(...s.events.map((e) => e.hlc.l - e.pt));
const registers = (r: Result) => r.views().map((x) => (x as ClocksView).register?.value);

describe("the clocks lesson", () => {
  it("has its steps in order", () => {
    expect(lesson.map((s) => s.scenario)).toEqual(["causality", "skew", "ntp-step", "lww", "naive-hlc"]);
  });

  it("causality: 127 events, Lamport below along all 7,608 ordered pairs, 319 of 393 concurrent pairs numbered apart; n2's and n1's first sends", () => {
    const r = play(gallery("causality"));
    const ev = series(r).events;
    expect(ev).toHaveLength(127);
    let ordered = 0;
    let concurrent = 0;
    let apart = 0;
    for (let i = 0; i < ev.length; i++) {
      for (let j = i + 1; j < ev.length; j++) {
        const o = vcCompare(ev[i]!.vc, ev[j]!.vc);
        if (o === "concurrent") {
          concurrent++;
          if (ev[i]!.lamport !== ev[j]!.lamport) apart++;
        } else {
          ordered++;
          expect(o === "before" ? ev[i]!.lamport < ev[j]!.lamport : ev[i]!.lamport > ev[j]!.lamport).toBe(true);
        }
      }
    }
    expect([ordered, concurrent, apart]).toEqual([7_608, 393, 319]);
    const first = (node: string) => ev.find((e) => e.node === node && e.event === "send")!;
    expect([first("n2").lamport, first("n2").vc]).toEqual([1, { n2: 1 }]);
    expect([first("n1").lamport, first("n1").vc]).toEqual([3, { n1: 2, n3: 1 }]);
    expect(vcCompare(first("n2").vc, first("n1").vc)).toBe("concurrent");
    expect(violations(r)).toEqual([]);
    expect(stepFor("causality").text).toContain("319 of the 393 concurrent pairs");
  });

  it("skew: 21 messages received before sent, checks green, HLC up to 253 ms ahead; Try: n3's clock right, none", () => {
    const r = play(gallery("skew"));
    const s = series(r);
    expect([s.anomalies, ahead(s)]).toEqual([21, 253]);
    expect(violations(r)).toEqual([]);
    const t = series(tried("skew"));
    expect(t.anomalies).toBe(0);
  });

  it("ntp-step: n2 reads 5.462 s at 6.263 s after 5.554 s; HLC (5554, 0) then (6146, 1); 15 anomalies; 749 ms ahead", () => {
    const r = play(gallery("ntp-step"));
    const s = series(r);
    const n2 = s.events.filter((e) => e.node === "n2");
    const k = n2.findIndex((e) => e.t >= 6_000);
    expect([Math.round(n2[k - 1]!.t), n2[k - 1]!.pt, n2[k - 1]!.hlc]).toEqual([5_554, 5_554, { l: 5_554, c: 0 }]);
    expect([Math.round(n2[k]!.t), n2[k]!.pt, n2[k]!.hlc]).toEqual([6_263, 5_462, { l: 6_146, c: 1 }]);
    expect([s.anomalies, ahead(s)]).toEqual([15, 749]);
    expect(violations(r)).toEqual([]);
  });

  it("lww: n1:3 stamped 5.239 s beats the later n2:2 at 5.3 s; 6 lost; Try HLC: n2:2 everywhere, none lost", () => {
    const s = series(play(gallery("lww")));
    const write = (value: string) => s.events.find((e) => e.write === value)!;
    expect([Math.round(write("n1:3").t), write("n1:3").pt, write("n1:3").hlc]).toEqual([4_239, 5_239, { l: 5_239, c: 0 }]);
    expect([Math.round(write("n2:2").t), write("n2:2").pt, write("n2:2").hlc]).toEqual([4_932, 4_932, { l: 5_239, c: 5 }]);
    expect(vcCompare(write("n1:3").vc, write("n2:2").vc)).toBe("before");
    expect(registers(play(gallery("lww"), 5_300))).toEqual(["n1:3", "n1:3", "n1:3"]);
    expect(lostWrites(s.events, "physical")).toHaveLength(6);
    expect(registers(tried("lww", 5_300))).toEqual(["n2:2", "n2:2", "n2:2"]);
    expect(lostWrites(series(tried("lww")).events, "hlc")).toHaveLength(0);
  });

  it("naive-hlc: flagged at 125 ms (l 400, clock 100, ε 250), 25.4 s ahead by 10 s; Try the paper's: 200 ms, c ≤ 8, no violation", () => {
    const r = play(gallery("naive-hlc"));
    const found = violations(r);
    expect(found[0]).toMatchObject({ check: "hlc-bounds", message: "n1's HLC l = 400 is 300 ms ahead of its physical clock 100, past ε = 250 ms" });
    expect(Math.round(found[0]!.t)).toBe(125);
    expect(ahead(series(r))).toBe(25_400);
    const t = tried("naive-hlc");
    const ts = series(t);
    expect(ahead(ts)).toBe(200);
    expect(Math.max(...ts.events.map((e) => e.hlc.c))).toBe(8);
    expect(violations(t)).toEqual([]);
  });
});
