import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineWriter, Shape } from "./jsonl.ts";
import { Trace, hashEvents, type Hasher, type TraceEvent } from "./trace.ts";

/** The bytes a writer gives for `events`, through a buffer small enough to split lines. */
function written(events: readonly [TraceEvent, number][], size = 48): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = new LineWriter((chunk) => parts.push(chunk.slice()), size);
  for (const [e, shape] of events) w.line(e, shape);
  w.flush();
  return Buffer.concat(parts);
}

/** What the hash means: JSON.stringify of each event, a newline after each, as UTF-8. */
function canonical(events: readonly TraceEvent[]): Uint8Array {
  return new TextEncoder().encode(events.map((e) => JSON.stringify(e) + "\n").join(""));
}

// Strings JSON has to escape or encode: quotes, backslashes, control characters, DEL, Latin-1,
// astral characters, lone and paired surrogates.
const tricky = fc.constantFrom("", "n1", 'say "hi"', "back\\slash", "tab\there\nnewline\r\b\f", "\u0000\u001f\u007f", "é ü ß", "日本", "😀", "\ud83d", "\ude00x", "a\ud800\udc00b", "\u2028\u2029");
const text = fc.oneof(tricky, fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
// Times and ids as the engine makes them, and the numbers JSON writes in special ways.
const special = fc.constantFrom(0, -0, 1, -1, 0.1, 1e21, 1e-7, -1e21, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 123456789.123, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity);
const num = fc.oneof(special, fc.double(), fc.integer(), fc.nat(), fc.double({ min: 0, max: 3_600_000, noNaN: true }));
// Messages: any JSON, and values JSON drops or rewrites (undefined, functions, -0, NaN, toJSON).
const odd = fc.constantFrom<unknown>(undefined, () => 1, -0, NaN, new Date(0), { toJSON: (key: string) => `key:${key}` }, { a: undefined, b: [undefined, () => 1, -0] }, { 2: "two", 1: "one", z: 0 }, [, 1]);
const msg = fc.oneof(fc.jsonValue(), fc.anything(), odd, fc.record({ type: text, term: num, entries: fc.array(fc.record({ term: num, cmd: fc.jsonValue() })) }));

/** One event of each engine literal, built as engine.ts builds it, with its shape. */
const engineEvent: fc.Arbitrary<[TraceEvent, Shape]> = fc.oneof(
  fc.record({ t: num, seq: num, from: text, to: text, id: num }).map(({ t, seq, from, to, id }) => [{ t, seq, kind: "deliver", from, to, id }, Shape.DELIVER] as [TraceEvent, Shape]),
  fc.record({ t: num, seq: num, from: text, to: text, id: num, reason: text }).map(({ t, seq, from, to, id, reason }) => [{ t, seq, kind: "drop", from, to, id, reason }, Shape.DROP] as [TraceEvent, Shape]),
  fc.record({ t: num, seq: num, node: text, name: fc.oneof(text, fc.jsonValue()) }).map(({ t, seq, node, name }) => [{ t, seq, kind: "timer", node, name }, Shape.TIMER] as [TraceEvent, Shape]),
  fc.record({ t: num, seq: num, node: text, text }).map(({ t, seq, node, text }) => [{ t, seq, kind: "note", node, text }, Shape.NOTE] as [TraceEvent, Shape]),
  fc.record({ t: num, seq: num, from: text, to: text, id: num, msg }).map(({ t, seq, from, to, id, msg }) => [{ t, seq, kind: "send", from, to, id, msg }, Shape.SEND] as [TraceEvent, Shape]),
  fc
    .record({ t: num, seq: num, from: text, to: text, id: num, msg, arrive: fc.array(num, { minLength: 1, maxLength: 2 }) })
    .map(({ t, seq, from, to, id, msg, arrive }) => [{ t, seq, kind: "send", from, to, id, msg, arrive }, Shape.SEND] as [TraceEvent, Shape]),
);

/** Anything else in a trace: observations with whatever data a lab gives, written generically. */
const otherEvent: fc.Arbitrary<[TraceEvent, Shape]> = fc
  .record({ t: num, seq: num, kind: fc.oneof(text, fc.constantFrom("send", "deliver", "timer", "note", "drop")), data: fc.dictionary(text, fc.oneof(fc.jsonValue(), odd)) })
  .map(({ t, seq, kind, data }) => [{ t, seq, kind, ...data } as TraceEvent, Shape.ANY]);

describe("the JSON lines writer", () => {
  it("writes exactly JSON.stringify(event) + newline, as UTF-8, for the engine's events and any other", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(engineEvent, otherEvent), { maxLength: 30 }), fc.integer({ min: 8, max: 512 }), (events, size) => {
        expect(Buffer.from(written(events, size)).equals(Buffer.from(canonical(events.map(([e]) => e))))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("falls back to JSON.stringify when an event is not the literal its shape names", () => {
    const wrong: [TraceEvent, number][] = [
      [{ t: 1, seq: 0, kind: "note", node: "n1", text: "x" }, Shape.DELIVER],
      [{ t: 1, seq: 1, kind: "timer", node: "n1", name: 7 }, Shape.TIMER],
      [{ t: 1, seq: 2, kind: "send", from: "n1", to: "n2", id: 3, msg: { toJSON: (k: string) => k } }, Shape.SEND],
      [{ t: 1, seq: 3, kind: "drop", from: "n1", to: "n2", id: 3, reason: undefined }, Shape.DROP],
      [{ t: 1, seq: 4, kind: "x" }, 99],
    ];
    expect(Buffer.from(written(wrong)).toString("utf8")).toBe(wrong.map(([e]) => JSON.stringify(e) + "\n").join(""));
  });

  it("counts seqs up digit by digit exactly, across 9, 99, ... and out of order", () => {
    const seqs: number[] = [];
    for (const start of [0, 95, 995, 999_990, 2 ** 31 - 5]) for (let i = 0; i < 12; i++) seqs.push(start + i);
    seqs.push(7, 8, 8, 9, -1, 0, 1, 1.5, 2.5, 2 ** 53, 2 ** 53 + 2, 3, 4);
    const events: [TraceEvent, Shape][] = seqs.map((seq) => [{ t: 1, seq, kind: "deliver", from: "a", to: "b", id: 0 }, Shape.DELIVER]);
    expect(Buffer.from(written(events, 40)).equals(Buffer.from(canonical(events.map(([e]) => e))))).toBe(true);
  });

  it("keeps its buffer size when messages keep meeting the buffer's end (it used to double each time)", () => {
    const chunks: number[] = [];
    const parts: Uint8Array[] = [];
    const w = new LineWriter((chunk) => {
      chunks.push(chunk.length);
      parts.push(chunk.slice());
    }, 256);
    const events: TraceEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      const e: TraceEvent = { t: i + 0.25, seq: i, kind: "send", from: "n1", to: "n2", id: i, msg: { type: "gossip", counts: { n1: i, n2: 2 * i, n3: 7 } }, arrive: [i + 30.5] };
      events.push(e);
      w.line(e, Shape.SEND);
    }
    w.flush();
    expect(Math.max(...chunks)).toBeLessThanOrEqual(256);
    expect(Buffer.concat(parts).equals(Buffer.from(canonical(events)))).toBe(true);
  });

  it("writes one line longer than its buffer whole", () => {
    const e: TraceEvent = { t: 0.5, seq: 0, kind: "send", from: "n1", to: "n2", id: 0, msg: { big: "é".repeat(5000) + "x".repeat(5000) }, arrive: [1.25] };
    expect(Buffer.from(written([[e, Shape.SEND]], 64)).toString("utf8")).toBe(JSON.stringify(e) + "\n");
  });
});

/** Node's SHA-256 behind the Hasher interface, as the CLI passes it. */
function nodeSha(): Hasher {
  const wrap = (h: ReturnType<typeof createHash>): Hasher => ({ update: (b) => h.update(b), clone: () => wrap(h.copy()), digest: () => h.digest() });
  return wrap(createHash("sha256"));
}

describe("the trace hash with another SHA-256", () => {
  it("is the same digest whichever SHA-256 computes it, with or without forgetting", () => {
    const events = fc.sample(fc.oneof(engineEvent, otherEvent), { numRuns: 3000, seed: 7 }).map(([e, s], seq) => [{ ...e, seq }, s] as const);
    const a = new Trace();
    const b = new Trace({ hasher: nodeSha });
    for (const [e, s] of events) {
      a.push(e, s);
      b.push(e, s);
      if (b.length % 700 === 0) b.forget(0);
    }
    const sha = createHash("sha256").update(canonical(events.map(([e]) => e))).digest("hex").slice(0, 16);
    expect(a.hash()).toBe(sha);
    expect(b.hash()).toBe(sha);
    expect(hashEvents(events.map(([e]) => e))).toBe(sha);
    expect(b.events).toHaveLength(events.length % 700);
  });
});
