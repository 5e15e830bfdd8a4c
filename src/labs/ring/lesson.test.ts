// The ring lesson keeps its word: every number a step states about its run, and every "Try"
// (its fix applied from 0 s, as the page's button does), gives what the text says.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Action } from "../../scenario/types.ts";
import type { Result } from "../../sim/testing.ts";
import { labKit } from "../testing.ts";
import { ringLab } from "./index.ts";
import { keysPerServer, ledgerStep, lostWrites, newLedger, type Ledger } from "./ledger.ts";
import { lesson } from "./lesson.ts";
import { hotRangeEnd, ringParams } from "./params.ts";
import { keyName, placementOf } from "./placement.ts";

const { gallery, stepFor, play, withActions, violations } = labKit(ringLab);

function ledgerOf(r: Result): Ledger {
  const l = newLedger(r.scenario, v.parse(ringLab.params, r.scenario.params));
  for (const e of r.events) ledgerStep(l, e);
  return l;
}

/** The step's fix, as the page applies it: sets at 0 s, then the run replays. */
function tried(name: string): Result {
  const step = stepFor(name);
  const sets: Action[] = step.fix!.set.map((x) => ({ t: 0, do: "set", path: x.path, value: x.value }));
  return play(withActions(gallery(name), ...sets));
}

describe("the ring lesson", () => {
  it("has its steps in order", () => {
    expect(lesson.map((s) => s.scenario)).toEqual(["join-leave", "modulo", "vnodes", "jump", "hot-key", "hot-range", "crash", "partition-strict", "partition-sloppy"]);
  });

  it("join-leave: 200 keys, three copies; s6's join moves 30, s2's leave 39; nothing refused or lost", () => {
    const s = gallery("join-leave");
    expect(s.nodes.filter((n) => n.role === "server")).toHaveLength(5);
    expect(s.nodes.filter((n) => n.role === "client")).toHaveLength(3);
    const p = v.parse(ringLab.params, s.params);
    expect([p.keys, p.replicas]).toEqual([200, 3]);
    const r = play(s);
    const l = ledgerOf(r);
    expect(l.moves.map((m) => [m.t, m.change, m.movedKeys])).toEqual([
      [5_000, "s6 joins", 30],
      [12_000, "s2 leaves", 39],
    ]);
    expect(Math.abs(30 - 200 / 6)).toBeLessThan(5);
    expect([l.refusedWrites, lostWrites(l).length]).toEqual([0, 0]);
    // The clients carry on through both changes: writes acknowledged in the second after each.
    const acks = r.of("ack");
    expect(acks.some((e) => e.t > 5_000 && e.t < 6_000)).toBe(true);
    expect(acks.some((e) => e.t > 12_000 && e.t < 13_000)).toBe(true);
    expect(keysPerServer(l).stdDevPct).toBe(11.1);
    expect(violations(r)).toEqual([]);
    expect(stepFor("join-leave").text).toContain("30 keys change owner");
  });

  it("Try: one virtual node a server: spread 87 %, s2's leaving moves 86", () => {
    const l = ledgerOf(tried("join-leave"));
    expect(keysPerServer(l).stdDevPct).toBe(87.4);
    expect(l.moves.find((m) => m.change === "s2 leaves")!.movedKeys).toBe(86);
  });

  it("modulo: 171 of 200 keys move; Try jump hash: 36, all to s6", () => {
    expect(ledgerOf(play(gallery("modulo"))).moves.map((m) => m.movedKeys)).toEqual([171]);
    const r = tried("modulo");
    expect(ledgerOf(r).moves.map((m) => m.movedKeys)).toEqual([36]);
    // Every key that changed owner now belongs to the newcomer.
    const servers = ["s1", "s2", "s3", "s4", "s5"];
    const spec = { strategy: "jump" as const, vnodes: 150, keys: 200, initial: servers, changes: [] };
    const before = placementOf(spec);
    const after = placementOf({ ...spec, changes: [{ op: "join" as const, server: "s6" }] });
    const changed = Array.from({ length: 200 }, (_, i) => keyName(i)).filter((k) => before.owner(k) !== after.owner(k));
    expect(changed).toHaveLength(36);
    expect(changed.every((k) => after.owner(k) === "s6")).toBe(true);
    expect(r.of("stored").some((e) => e.node === "s6")).toBe(true);
  });

  it("vnodes: three a server, 64 and 65 keys on s1 and s5, 14 on s2, spread 55 %; Try 500: 11 %", () => {
    const l = ledgerOf(play(gallery("vnodes")));
    const k = keysPerServer(l);
    expect(k.perServer).toMatchObject({ s1: 64, s5: 65, s2: 14 });
    expect(k.stdDevPct).toBe(54.8);
    expect(keysPerServer(ledgerOf(tried("vnodes"))).stdDevPct).toBe(11.1);
  });

  it("jump: s2 leaving from the middle moves 137 keys against a share of 40; Try s5 instead: 44", () => {
    const l = ledgerOf(play(gallery("jump")));
    expect(l.moves.map((m) => [m.change, m.movedKeys, m.ideal])).toEqual([["s2 leaves", 137, 40]]);
    const s = gallery("jump");
    const r = play({ ...s, timeline: [{ t: 5_000, do: "remove-server", node: "s5" }] });
    const before = placementOf({ strategy: "jump", vnodes: 150, keys: 200, initial: ["s1", "s2", "s3", "s4", "s5"], changes: [] });
    const owned = Array.from({ length: 200 }, (_, i) => keyName(i)).filter((k) => before.owner(k) === "s5").length;
    expect(ledgerOf(r).moves.map((m) => m.movedKeys)).toEqual([44]);
    expect(owned).toBe(44);
    expect(violations(r)).toEqual([]);
  });

  it("hot-key: half the requests to k000000; its replicas s1, s2, s5 get 190 to 210 requests, s3 and s4 about 65; Try rendezvous: s1, s3, s5", () => {
    const s = gallery("hot-key");
    expect(v.parse(ringLab.params, s.params).hotKey).toBe(0.5);
    const l = ledgerOf(play(s));
    expect(placementOf({ strategy: "ring", vnodes: 150, keys: 200, initial: ["s1", "s2", "s3", "s4", "s5"], changes: [] }).preference("k000000", 3).sort()).toEqual(["s1", "s2", "s5"]);
    for (const hot of ["s1", "s2", "s5"]) expect(l.requests[hot]).toBeGreaterThanOrEqual(185), expect(l.requests[hot]).toBeLessThanOrEqual(210);
    for (const cold of ["s3", "s4"]) expect(Math.abs(l.requests[cold]! - 65)).toBeLessThanOrEqual(6);
    const t = ledgerOf(tried("hot-key"));
    expect(placementOf({ strategy: "rendezvous", vnodes: 150, keys: 200, initial: ["s1", "s2", "s3", "s4", "s5"], changes: [] }).preference("k000000", 3).sort()).toEqual(["s1", "s3", "s5"]);
    const loads = Object.entries(t.requests).sort((a, b) => b[1] - a[1]).map(([s]) => s);
    expect(loads.slice(0, 3).sort()).toEqual(["s1", "s3", "s5"]);
  });

  it("hot-range: the first 20 keys all in s1's range; s1–s3 get 178 to 188 requests, s4 and s5 84 and 85; Try the ring: they scatter, none over 173", () => {
    const s = gallery("hot-range");
    const p = v.parse(ringParams, s.params);
    expect([p.strategy, p.hotRange, hotRangeEnd(p.keys)]).toEqual(["range", 0.5, 20]);
    const range = placementOf({ strategy: "range", vnodes: 150, keys: 200, initial: ["s1", "s2", "s3", "s4", "s5"], changes: [] });
    const hot = Array.from({ length: 20 }, (_, i) => keyName(i));
    expect(new Set(hot.map((k) => range.owner(k)))).toEqual(new Set(["s1"]));
    expect(range.preference(hot[0]!, 3)).toEqual(["s1", "s2", "s3"]);
    const l = ledgerOf(play(s));
    for (const busy of ["s1", "s2", "s3"]) expect(l.requests[busy]).toBeGreaterThanOrEqual(178), expect(l.requests[busy]).toBeLessThanOrEqual(188);
    expect([l.requests.s4, l.requests.s5]).toEqual([84, 85]);
    const ring = placementOf({ strategy: "ring", vnodes: 150, keys: 200, initial: ["s1", "s2", "s3", "s4", "s5"], changes: [] });
    expect(new Set(hot.map((k) => ring.owner(k))).size).toBe(5);
    const t = ledgerOf(tried("hot-range"));
    expect(Math.max(...Object.values(t.requests))).toBe(173);
    expect(stepFor("hot-range").text).toContain("no server gets more than 173 requests");
  });

  it("crash: s3 down from 3 s, nothing refused or lost; Try s4 too at 6 s: 26 writes refused", () => {
    const s = gallery("crash");
    const l = ledgerOf(play(s));
    expect([l.refusedWrites, l.refusedReads, lostWrites(l).length]).toEqual([0, 0, 0]);
    const r = play(withActions(s, { t: 6_000, do: "crash", node: "s4" }));
    expect(ledgerOf(r).refusedWrites).toBe(26);
    expect(violations(r)).toEqual([]);
  });

  it("partition-strict: 20 writes refused, no stale read; Try sloppy: none refused", () => {
    const s = gallery("partition-strict");
    expect(s.timeline).toEqual([
      { t: 4_000, do: "partition", groups: [["s1", "s2", "c1"], ["s3", "s4", "s5", "c2", "c3"]] },
      { t: 12_000, do: "heal" },
    ]);
    const r = play(s);
    const l = ledgerOf(r);
    expect([l.refusedWrites, l.staleReads, lostWrites(l).length]).toEqual([20, 0, 0]);
    expect(r.of("refused").every((e) => e.t >= 4_000 && e.t <= 12_000 + 500)).toBe(true);
    expect(violations(r)).toEqual([]);
    expect(ledgerOf(tried("partition-strict")).refusedWrites).toBe(0);
  });

  it("partition-sloppy: every write accepted, one stale read, hints home at the heal; Try r = w = 1: seven stale", () => {
    const r = play(gallery("partition-sloppy"));
    const l = ledgerOf(r);
    expect([l.refusedWrites, l.staleReads, lostWrites(l).length]).toEqual([0, 1, 0]);
    expect(r.of("stored").some((e) => e.hint !== undefined)).toBe(true);
    const handoffs = r.of("send").filter((e) => (e.msg as { type: string }).type === "handoff");
    expect(handoffs.some((e) => e.t >= 12_000)).toBe(true);
    // At the end no server still keeps a value for another.
    expect(r.views().every((x) => x.role !== "server" || x.hinted === 0)).toBe(true);
    // Not a violation: the learner chose a sloppy quorum.
    expect(violations(r)).toEqual([]);
    expect(ledgerOf(tried("partition-sloppy")).staleReads).toBe(7);
  });
});
