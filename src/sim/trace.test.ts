import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Trace, hashEvents, traceLine } from "./trace.ts";

function sample(n: number): Trace {
  const tr = new Trace();
  for (let i = 0; i < n; i++) tr.add(i * 1.5, i % 2 ? "send" : "note", { node: `n${i % 3}`, text: `é ${i}` });
  return tr;
}

describe("the trace", () => {
  it("numbers events by line and keeps t, seq and kind first", () => {
    const tr = sample(3);
    expect(tr.events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(traceLine(tr.events[1]!)).toBe('{"t":1.5,"seq":1,"kind":"send","node":"n1","text":"é 1"}');
  });

  it("hashes to the SHA-256 of its JSON lines, as sha256sum of the --trace file would", () => {
    const tr = sample(2000);
    const jsonl = tr.events.map((e) => traceLine(e) + "\n").join("");
    expect(tr.hash()).toBe(createHash("sha256").update(jsonl, "utf8").digest("hex").slice(0, 16));
  });

  it("gives the same hash incrementally, for a prefix, and after truncation", () => {
    const tr = sample(1500);
    const full = hashEvents(tr.events);
    const prefix = hashEvents(tr.events, 700);
    const inc = sample(0);
    for (const e of tr.events.slice(0, 700)) inc.add(e.t, e.kind, { node: e.node, text: e.text });
    expect(inc.hash()).toBe(prefix);
    for (const e of tr.events.slice(700)) inc.add(e.t, e.kind, { node: e.node, text: e.text });
    expect(inc.hash()).toBe(full);
    expect(inc.hash(700)).toBe(prefix);
    inc.truncate(700);
    expect(inc.hash()).toBe(prefix);
  });
});

describe("a trace that forgets", () => {
  it("keeps its hash over every event while only a window stays in memory", () => {
    const all = sample(3000);
    const tr = new Trace();
    for (const e of all.events) {
      tr.add(e.t, e.kind, { node: e.node, text: e.text });
      if (tr.length % 500 === 0) tr.forget(200);
    }
    expect(tr.events.length).toBeLessThanOrEqual(700);
    expect(tr.first + tr.events.length).toBe(3000);
    expect(tr.events[0]!.seq).toBe(tr.first);
    expect(tr.hash()).toBe(all.hash());
  });

  it("rewinds to a mark, even one before what it forgot, and hashes on from there", () => {
    const all = sample(2000);
    const tr = new Trace();
    let mark;
    for (const e of all.events) {
      if (tr.length === 400) mark = tr.mark();
      tr.add(e.t, e.kind, { node: e.node, text: e.text });
    }
    tr.forget(100);
    tr.rewind(mark!);
    expect(tr.length).toBe(400);
    expect(tr.hash()).toBe(hashEvents(all.events, 400));
    for (const e of all.events.slice(400)) tr.add(e.t, e.kind, { node: e.node, text: e.text });
    expect(tr.hash()).toBe(all.hash());
  });
});

describe("forgetting by time", () => {
  it("keeps the events of the last stretch of virtual time, at most a given number", () => {
    const tr = sample(1000); // t = 0, 1.5, 3, …
    tr.forgetBefore(750);
    expect(tr.events[0]!.t).toBe(750);
    expect(tr.first).toBe(500);
    tr.forgetBefore(0, 100);
    expect(tr.events).toHaveLength(100);
    expect(tr.hash()).toBe(sample(1000).hash());
  });
});
