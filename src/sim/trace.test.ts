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
