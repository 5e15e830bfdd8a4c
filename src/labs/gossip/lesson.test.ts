// The gossip lesson keeps its word: every fact a step states about its run, and every "Try",
// done here the way the page does it (a timeline action at the time the learner acts), gives
// what the text says.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Action } from "../../scenario/types.ts";
import { Result } from "../../sim/testing.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { gossipLab } from "./index.ts";
import { lesson } from "./lesson.ts";
import { labKit } from "../testing.ts";

const { gallery, stepFor, play, withActions, violations } = labKit(gossipLab);
const totals = (r: Result) => r.views().map((n) => n.total);
const ms = (t: number) => Math.round(t);
/** "4.52 s": a time the way the lesson writes it. */
const secs = (t: number) => `${(t / 1000).toFixed(2)} s`;
/** The last time any node's total changed: from then on every node shows its final total. */
const settled = (r: Result) => r.of("value").at(-1)!.t;

describe("the gossip lesson", () => {
  it("has the three steps", () => {
    expect(lesson.map((s) => s.scenario)).toEqual(["steady", "partition-heal", "lossy"]);
  });

  describe("A rumour spreads", () => {
    const step = stepFor("steady");

    it("every 200 ms each node sends everything it knows to one peer", () => {
      const s = gallery("steady");
      expect(s.params).toEqual({});
      expect(v.parse(gossipLab.params, s.params)).toEqual({ interval: 200 });
      const r = play(s);
      for (const node of ["n1", "n2", "n3", "n4", "n5"]) {
        const sends = r.of("send").filter((e) => e.from === node);
        const gaps = new Set(sends.slice(1).map((e, k) => ms(e.t - sends[k]!.t)));
        expect([...gaps], node).toEqual([200]);
        expect(new Set(sends.map((e) => e.t)).size, node).toBe(sends.length);
      }
      // What a node sends is its whole vector of counts, as it stands.
      const at4100 = play(s, 4_100);
      const next = play(s).of("send").find((e) => e.from === "n1" && e.t > 4_100)!;
      expect((next.msg as { counts: unknown }).counts).toEqual(at4100.view("n1").counts);
      expect(step.text).toContain("every 200 ms");
    });

    it("each of n1's six increments reaches every node, and all five end at 12", () => {
      const r = play(gallery("steady"));
      expect(r.of("command").filter((e) => e.node === "n1").length).toBe(6);
      for (const n of r.views()) expect(n).toMatchObject({ total: 12, counts: { n1: 6, n2: 2, n4: 4 } });
      expect(violations(r)).toEqual([]);
    });

    it("Try: after n2 adds 2 at 4 s, n1, n4, n3 and n5 reach 12 one by one, and all five show 12 at 4.52 s", () => {
      const r = play(gallery("steady"));
      const plus2 = r.of("command").find((e) => e.node === "n2")!;
      expect([plus2.t, plus2.cmd]).toEqual([4_000, { inc: 2 }]);
      const reach = r.of("value").filter((e) => e.t >= 4_000 && e.total === 12);
      expect(reach.map((e) => e.node)).toEqual(["n2", "n1", "n4", "n3", "n5"]);
      expect(new Set(reach.map((e) => e.t)).size).toBe(5);
      expect(ms(reach.at(-1)!.t)).toBe(4_523);
      expect(settled(r)).toBe(reach.at(-1)!.t);
      expect(step.text).toContain(`all five show 12 at ${secs(reach.at(-1)!.t)}`);
    });
  });

  describe("Both halves keep counting", () => {
    const step = stepFor("partition-heal");

    it("at 2 s n1, n2 split from n3, n4, n5; each side sees only its own increments: 5 and 3", () => {
      const r = play(gallery("partition-heal"), 8_999);
      expect(r.of("partition").map((e) => [e.t, e.groups])).toEqual([[2_000, [["n1", "n2"], ["n3", "n4", "n5"]]]]);
      expect(totals(r)).toEqual([5, 5, 3, 3, 3]);
      expect(r.views().map((n) => n.counts)).toEqual([{ n1: 5 }, { n2: 0, n1: 5 }, { n3: 0, n5: 3 }, { n4: 0, n5: 3 }, { n5: 3 }]);
      expect(step.text).toContain("n1's side reaches 5, the other 3");
    });

    it("at 9 s it heals, and merging by max brings all five to 8", () => {
      const r = play(gallery("partition-heal"));
      expect(r.of("heal").map((e) => e.t)).toEqual([9_000]);
      for (const n of r.views()) expect(n).toMatchObject({ total: 8, counts: { n1: 5, n5: 3 } });
      expect(ms(settled(r))).toBe(9_324);
      expect(violations(r)).toEqual([]);
    });

    // Dragging n3 into n1's cluster (the two clusters' centres are (0.16, 0.5) and (0.84, 0.5)).
    const drag = (t: number): Action => ({ t, do: "move", node: "n3", x: 0.16, y: 0.5 });

    it("Try: n3 dragged to n1's side between 6 s and the heal brings n1, n2, n3 to 8 within a second; n4 and n5 stay at 3 until 9 s", () => {
      for (const t of [6_000, 7_000, 8_000]) {
        const s = withActions(gallery("partition-heal"), drag(t));
        const before = play(s, Math.min(t + 1_000, 8_999));
        expect(before.of("partition").at(-1)!.groups, String(t)).toEqual([["n1", "n2", "n3"], ["n4", "n5"]]);
        expect(totals(before), String(t)).toEqual([8, 8, 8, 3, 3]);
        expect(totals(play(s, 8_999)), String(t)).toEqual([8, 8, 8, 3, 3]);
        const r = play(s);
        expect(totals(r), String(t)).toEqual([8, 8, 8, 8, 8]);
        expect(violations(r), String(t)).toEqual([]);
      }
    });
  });

  describe("Lost, doubled, out of order — still right", () => {
    const step = stepFor("lossy");

    /** Deliveries of a message sent before one its receiver already got: overtaken on the way. */
    function overtaken(events: readonly TraceEvent[]): number {
      const sentAt = new Map<number, number>();
      const newest = new Map<string, number>();
      let n = 0;
      for (const e of events) {
        if (e.kind === "send") sentAt.set(e.id!, e.t);
        if (e.kind !== "deliver") continue;
        const t = sentAt.get(e.id!)!;
        if (t < (newest.get(e.to!) ?? -Infinity)) n++;
        newest.set(e.to!, Math.max(t, newest.get(e.to!) ?? -Infinity));
      }
      return n;
    }

    it("30 % of the messages are lost, a fifth of the rest delivered twice, and 29 arrive after ones sent later", () => {
      const s = gallery("lossy");
      expect(s.network).toMatchObject({ loss: 0.3, duplicate: 0.2, reorder: true });
      const r = play(s);
      const sends = r.of("send");
      const lost = r.of("drop").filter((e) => e.reason === "loss");
      const doubled = sends.filter((e) => Array.isArray(e.arrive) && e.arrive.length === 2);
      expect([sends.length, lost.length, doubled.length]).toEqual([685, 201, 102]);
      expect([r.of("deliver").length, overtaken(r.events)]).toEqual([574, 29]);
      expect(step.text).toContain("30 % of the messages are lost, a fifth of the rest delivered twice, and some arrive after ones sent later");
    });

    it("n6 crashes at 5 s and comes back at 8 s showing only its own count, 0; from 8.23 s all seven show 10", () => {
      const r = play(gallery("lossy"));
      expect(r.of("crash").map((e) => [e.node, e.t])).toEqual([["n6", 5_000]]);
      expect(r.of("restart").map((e) => [e.node, e.t])).toEqual([["n6", 8_000]]);
      expect(r.of("value").find((e) => e.node === "n6" && e.t === 8_000)!.total).toBe(0);
      expect(totals(r)).toEqual([10, 10, 10, 10, 10, 10, 10]);
      expect(ms(settled(r))).toBe(8_227);
      expect(step.text).toContain(`from ${secs(settled(r))} all seven show 10`);
      expect(violations(r)).toEqual([]);
    });

    it("Try: with the loss raised to 90 % at 0 s, all seven show 10 only from 10.35 s", () => {
      const r = play(withActions(gallery("lossy"), { t: 0, do: "set", path: "network.loss", value: 0.9 }));
      expect(r.of("drop").filter((e) => e.reason === "loss").length).toBe(623);
      expect(totals(r)).toEqual([10, 10, 10, 10, 10, 10, 10]);
      expect(ms(settled(r))).toBe(10_345);
      expect(settled(r)).toBeGreaterThan(settled(play(gallery("lossy"))));
      expect(step.text).toContain(`show 10 only from ${secs(settled(r))}`);
      expect(violations(r)).toEqual([]);
    });
  });
});
