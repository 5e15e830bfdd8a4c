// The clocks lab's ShiViz export, read back as ShiViz reads it (shiviz-reader.ts): gallery runs,
// every kind of event's description, node ids ShiViz could not take as they are, and random runs
// (skewed, drifting and stepped clocks, loss, duplication, partitions, crashes and restarts),
// each held to every rule; and the rules themselves, shown to catch the logs ShiViz refuses.
// Properties use the suite's fixed fast-check seed (tests/fast-check-seed.ts).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clocksScenarioArb, loaded } from "../../../tests/property/clocks-scenarios.ts";
import { Simulation } from "../../sim/simulation.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { labKit } from "../testing.ts";
import { clocksLab } from "./index.ts";
import { clockEvent, newSpacetime, spacetimeStep, type ClockEvent } from "./series.ts";
import { SHIVIZ_PARSER, shivizFromTrace, shivizHost, shivizLog } from "./shiviz.ts";
import { exportBreaks, readShiviz } from "./shiviz-reader.ts";

const kit = labKit(clocksLab);
const clockEvents = (trace: readonly TraceEvent[]) => trace.filter((e) => e.kind === "clock").map(clockEvent);

/** A clock event as the protocol writes it (the fields a test does not name are plain). */
const ev = (seq: number, node: string, event: ClockEvent["event"], vc: Record<string, number>, more: Partial<ClockEvent> = {}): ClockEvent => ({
  seq,
  t: seq * 10,
  node,
  event,
  vc,
  lamport: seq + 1,
  hlc: { l: 100 + seq, c: 0 },
  pt: 100 + seq,
  ...more,
});

describe("the ShiViz export", () => {
  it("writes every clock event of a gallery run in trace order, as ShiViz's default parser reads it", () => {
    const r = kit.play(kit.gallery("causality"));
    const events = clockEvents(r.events);
    const log = shivizFromTrace(r.events);
    expect(events.length).toBeGreaterThan(100);
    expect(exportBreaks(log, events)).toEqual([]);
    const read = readShiviz(log);
    expect(read.events.map((e) => e.host)).toEqual(events.map((e) => e.node));
    expect(read.events.map((e) => e.clock)).toEqual(events.map((e) => e.vc));
    // Every kind of event is there, and a write's deliveries say which write they carry.
    expect(read.events.some((e) => / sends n\d\.\d+ to n\d — /.test(e.text))).toBe(true);
    expect(read.events.some((e) => / writes n\d:\d+ \(sends n\d\.\d+ to n\d, n\d\) — /.test(e.text))).toBe(true);
    expect(read.events.some((e) => / receives n\d\.\d+ from n\d \(the write n\d:\d+\) — /.test(e.text))).toBe(true);
    expect(read.events.some((e) => / local event — /.test(e.text))).toBe(true);
  });

  it("says what each event is on one line, with its Lamport, HLC and physical readings, and a clock line after it", () => {
    const log = shivizLog([
      ev(3, "n1", "send", { n1: 2 }, { id: "n1.2", to: ["n2", "n3"], write: "n1:1" }),
      ev(1, "n1", "send", { n1: 1 }, { id: "n1.1", to: ["n2"] }),
      ev(5, "n2", "deliver", { n1: 2, n2: 2 }, { id: "n1.2", from: "n1" }),
      ev(4, "n2", "deliver", { n1: 1, n2: 1 }, { id: "n1.1", from: "n1" }),
      ev(6, "n3", "local", { n3: 1 }),
    ]);
    expect(log).toBe(
      [
        SHIVIZ_PARSER,
        "",
        "n1 sends n1.1 to n2 — Lamport 2, HLC (101, 0), physical clock 101 ms",
        'n1 {"n1":1}',
        "n1 writes n1:1 (sends n1.2 to n2, n3) — Lamport 4, HLC (103, 0), physical clock 103 ms",
        'n1 {"n1":2}',
        "n2 receives n1.1 from n1 — Lamport 5, HLC (104, 0), physical clock 104 ms",
        'n2 {"n1":1,"n2":1}',
        "n2 receives n1.2 from n1 (the write n1:1) — Lamport 6, HLC (105, 0), physical clock 105 ms",
        'n2 {"n1":2,"n2":2}',
        "n3 local event — Lamport 7, HLC (106, 0), physical clock 106 ms",
        'n3 {"n3":1}',
        "",
      ].join("\n"),
    );
  });

  it("gives node ids ShiViz could not take as host names distinct names it can, in descriptions and clocks alike", () => {
    expect(["n1", "a b", "a%20b", "%20", "toString", "__proto__", "x\ny", "nb\u00a0sp", "lone\uD800", "ok\uD83D\uDE00"].map(shivizHost)).toEqual([
      "n1",
      "a%20b",
      "a%2520b",
      "%2520",
      "%74oString",
      "%5F_proto__",
      "x%0Ay",
      "nb%C2%A0sp",
      "lone%uD800",
      "ok\uD83D\uDE00",
    ]);
    // A gallery run with the three nodes renamed: one with a space, one with "%", one with a line break.
    const s = structuredClone(kit.gallery("causality"));
    const names: Record<string, string> = { n1: "a b", n2: "50%", n3: "x\ny" };
    for (const n of s.nodes) n.id = names[n.id]!;
    const r = kit.play(s);
    const events = clockEvents(r.events);
    const log = shivizFromTrace(r.events);
    expect(events.length).toBeGreaterThan(100);
    expect(exportBreaks(log, events)).toEqual([]);
    expect(new Set(readShiviz(log).events.map((e) => e.host))).toEqual(new Set(["a%20b", "50%25", "x%0Ay"]));
    // The message ids in descriptions carry the sender's id as it is, its line break a space.
    expect(log).toMatch(/^a%20b receives x y\.\d+ from x%0Ay /m);
  });

  it("is the same from the raw trace as from the lab's space-time series (what the page and the CLI hold)", () => {
    const s = kit.gallery("lww");
    const r = kit.play(s);
    const series = newSpacetime({ scenario: s, params: s.params });
    for (const e of r.events) spacetimeStep(series, e);
    expect(shivizLog(series.events)).toBe(shivizFromTrace(r.events));
  });
});

describe("the rules the export is held to", () => {
  const run = [ev(0, "n1", "send", { n1: 1 }, { id: "n1.1", to: ["n2"] }), ev(1, "n2", "deliver", { n1: 1, n2: 1 }, { id: "n1.1", from: "n1" }), ev(2, "n2", "local", { n1: 1, n2: 2 })];
  const good = shivizLog(run);
  const lines = good.split("\n");
  const edit = (i: number, text: string) => lines.map((l, k) => (k === i ? text : l)).join("\n");

  it("find nothing in a faithful log", () => {
    expect(exportBreaks(good, run)).toEqual([]);
    expect(readShiviz(good).problems).toEqual([]);
    expect(readShiviz(good, "pasted").passedOver).toEqual([{ line: 1, text: SHIVIZ_PARSER }]);
  });

  // Each a log ShiViz refuses or draws wrong, and what ShiViz itself says of it (when it does).
  const broken: [string, string, string | null][] = [
    ["an event left out", lines.slice(0, 4).concat(lines.slice(6)).join("\n"), null],
    ["a host's first clock not 1", edit(3, 'n1 {"n1":2}'), "must start at 1"],
    ["a host's clock skipping a value", edit(7, 'n2 {"n1":1,"n2":3}'), "must increase by 1"],
    ["a host's own entry missing", edit(7, 'n2 {"n1":1}'), "missing from its timestamp"],
    ["a clock naming a host with no events", edit(7, 'n2 {"n1":1,"n2":2,"n9":1}'), "unrecognized host"],
    ["a clock entry past a host's events", edit(7, 'n2 {"n1":5,"n2":2}'), "invalid value 5"],
    ["a description broken over two lines", edit(4, "n2 receives\nn1.1 from n1"), null],
    ["a host name with a space", edit(7, 'n 2 {"n1":1,"n2":2}'), null],
    ["a clock over two lines", edit(7, 'n2 {"n1":1,\n"n2":2}'), null],
    ["a host named like a prototype's field", good.replaceAll("n2", "toString"), "every JavaScript object has"],
  ];
  for (const [what, log, shiviz] of broken) {
    it(`catch ${what}`, () => {
      expect(exportBreaks(log, run).length).toBeGreaterThan(0);
      if (shiviz !== null) expect(readShiviz(log).problems.join("\n")).toContain(shiviz);
    });
  }
});

describe("random clocks-lab runs exported for ShiViz", () => {
  it("break none of its rules: skewed, drifting and stepped clocks, loss, duplication, partitions, crashes, awkward node ids", () => {
    const arb = clocksScenarioArb({ until: [1_500, 5_000], interval: [25, 400], awkwardIds: true });
    fc.assert(
      fc.property(arb, (drawn) => {
        const { scenario, params } = loaded(drawn);
        const sim = new Simulation(scenario, clocksLab.protocol, params, undefined, clocksLab.actions);
        sim.runUntil(scenario.until);
        const trace = sim.engine.trace.events;
        const events = clockEvents(trace);
        expect(events.length).toBeGreaterThan(0);
        const log = shivizFromTrace(trace);
        expect(exportBreaks(log, events)).toEqual([]);
        // What the CLI writes, from the lab's series, is the same log.
        const series = newSpacetime({ scenario, params });
        for (const e of trace) spacetimeStep(series, e);
        expect(clocksLab.shiviz!({ spacetime: series })).toBe(log);
      }),
      { numRuns: 40 },
    );
  });
});
