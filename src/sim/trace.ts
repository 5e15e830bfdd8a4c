// The trace: every event of a run, in the order the engine processed it.
//
// One JSON object a line (`{t, seq, kind, ...}`); `seq` is the line number. The objects are
// built with a fixed key order, so `JSON.stringify` of each is the canonical line, and the
// trace hash is SHA-256 over the JSONL text — `sha256sum trace.jsonl` gives the same digest
// the CLI and the page show (we show its first 16 hex digits).
//
// The lines are written as bytes by jsonl.ts (the same bytes as JSON.stringify, faster), in
// large chunks. The SHA-256 is @noble/hashes' unless the trace is given another: the CLI
// passes Node's native one, which is ten times faster and gives the same digest.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { LineWriter, Shape, checkPrototype, noteTemplate, pairTemplate, timerTemplate, type Encoded } from "./jsonl.ts";

export type { TraceEvent } from "./event.ts";
import type { TraceEvent } from "./event.ts";

export const HASH_HEX_DIGITS = 16;

/** Where a trace stood: its length and the running hash there. Snapshots keep one. */
export interface TraceMark {
  length: number;
  hasher: Hasher;
}

/** A running SHA-256: @noble/hashes' `sha256.create()` is one; the CLI wraps node:crypto's. */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  /** An independent copy of the state so far. */
  clone(): Hasher;
  digest(): Uint8Array;
}

export interface TraceOptions {
  /** A fresh SHA-256 (default: @noble/hashes). It must compute SHA-256: the hash means that. */
  hasher?: () => Hasher;
}

const nobleSha256 = (): Hasher => sha256.create();

/**
 * The events of a run, in order. On long runs in the page only a window of recent events is
 * kept (`forget`): events before `offset` are gone from memory but not from the hash, which
 * runs over every event ever appended.
 */
export class Trace {
  /** The events kept: events[i] has seq offset + i. */
  readonly events: TraceEvent[] = [];
  /** shapes[i]: which of the engine's literals built events[i] (jsonl.ts), or Shape.ANY. */
  protected readonly shapes: Shape[] = [];
  private offset = 0;
  private readonly newHasher: () => Hasher;
  /** A running hash over every event with seq < hashed: the page asks for it every frame. */
  protected hasher: Hasher;
  private hashed = 0;

  constructor(options: TraceOptions = {}) {
    this.newHasher = options.hasher ?? nobleSha256;
    this.hasher = this.newHasher();
  }

  /** Events appended so far, including forgotten ones. */
  get length(): number {
    return this.offset + this.events.length;
  }

  /** The seq of the first event still in memory. */
  get first(): number {
    return this.offset;
  }

  /** The seq the next event gets: callers on hot paths build the event literal themselves. */
  get nextSeq(): number {
    return this.offset + this.events.length;
  }

  /**
   * Appends an event built with `seq: nextSeq` and keys in canonical order (t, seq, kind, ...).
   * The engine says which of its literals built it (`shape`), so hashing need not look.
   */
  push(e: TraceEvent, shape: Shape = Shape.ANY): void {
    this.events.push(e);
    this.shapes.push(shape);
  }

  // The engine's own lines, one method each: the literal (and its key order) is built here, so
  // a trace that streams (StreamingTrace) can write the same line without building it. `src`
  // and `dst` are node indexes (-1: none), which only a streaming trace reads.

  deliver(t: number, from: string, to: string, id: number, _src: number, _dst: number): void {
    this.push({ t, seq: this.nextSeq, kind: "deliver", from, to, id }, Shape.DELIVER);
  }

  drop(t: number, from: string, to: string, id: number, reason: string, _src: number, _dst: number): void {
    this.push({ t, seq: this.nextSeq, kind: "drop", from, to, id, reason }, Shape.DROP);
  }

  timer(t: number, node: string, name: string, _node: number): void {
    this.push({ t, seq: this.nextSeq, kind: "timer", node, name }, Shape.TIMER);
  }

  note(t: number, node: string, text: string, _node: number): void {
    this.push({ t, seq: this.nextSeq, kind: "note", node, text }, Shape.NOTE);
  }

  /** A send; `arrive` is left out when the message was lost. */
  send(t: number, from: string, to: string, id: number, msg: unknown, arrive: number[] | undefined, _src: number, _dst: number): void {
    if (arrive === undefined) this.push({ t, seq: this.nextSeq, kind: "send", from, to, id, msg }, Shape.SEND);
    else this.push({ t, seq: this.nextSeq, kind: "send", from, to, id, msg, arrive }, Shape.SEND);
  }

  /** Appends an event; `fields` go after t, seq and kind, in their own order. */
  add(t: number, kind: string, fields: Record<string, unknown>): TraceEvent {
    const e = { t, seq: this.nextSeq, kind, ...fields } as TraceEvent;
    this.events.push(e);
    this.shapes.push(Shape.ANY);
    return e;
  }

  /** Drop the events after `length` (a snapshot restored in the same run). */
  truncate(length: number): void {
    if (length >= this.length) return;
    if (length < this.offset || (length < this.hashed && this.offset > 0)) {
      throw new Error("Trace.truncate: those events are forgotten; rewind to a mark instead");
    }
    this.events.length = length - this.offset;
    this.shapes.length = this.events.length;
    if (this.hashed > length) {
      this.hasher = this.newHasher();
      this.hashed = 0;
    }
  }

  mark(): TraceMark {
    this.catchUp();
    return { length: this.length, hasher: this.hasher.clone() };
  }

  /** Go back to a mark of this run; events after it are dropped (and, if forgotten, stay so). */
  rewind(m: TraceMark): void {
    if (m.length >= this.offset) this.events.length = Math.min(this.events.length, m.length - this.offset);
    else {
      this.events.length = 0;
      this.offset = m.length;
    }
    this.shapes.length = this.events.length;
    this.hasher = m.hasher.clone();
    this.hashed = m.length;
  }

  /** Keep only the last `keep` events in memory; the hash still covers all of them. */
  forget(keep: number): void {
    const drop = this.events.length - keep;
    if (drop <= 0) return;
    this.catchUp();
    if (keep <= 0) {
      this.events.length = 0;
      this.shapes.length = 0;
    } else {
      this.events.splice(0, drop);
      this.shapes.splice(0, drop);
    }
    this.offset += drop;
  }

  /** Keep in memory only the events at or after virtual time t (and at most `max`). */
  forgetBefore(t: number, max = Infinity): void {
    const ev = this.events;
    let lo = 0;
    let hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ev[mid]!.t < t) lo = mid + 1;
      else hi = mid;
    }
    this.forget(Math.min(ev.length - lo, max));
  }

  /** The hash of the first `upTo` events (default: all). */
  hash(upTo = this.length): string {
    if (upTo < this.hashed) {
      if (this.offset > 0) throw new Error("Trace.hash: that prefix is forgotten");
      const h = this.newHasher();
      feed(h, this.events, this.shapes, 0, upTo);
      return bytesToHex(h.digest()).slice(0, HASH_HEX_DIGITS);
    }
    feed(this.hasher, this.events, this.shapes, this.hashed - this.offset, upTo - this.offset);
    this.hashed = upTo;
    return bytesToHex(this.hasher.clone().digest()).slice(0, HASH_HEX_DIGITS);
  }

  private catchUp(): void {
    feed(this.hasher, this.events, this.shapes, this.hashed - this.offset, this.events.length);
    this.hashed = this.length;
  }
}

export function traceLine(e: TraceEvent): string {
  return JSON.stringify(e);
}

export function hashEvents(events: readonly TraceEvent[], upTo = events.length): string {
  const h = sha256.create();
  feed(h, events, undefined, 0, upTo);
  return bytesToHex(h.digest()).slice(0, HASH_HEX_DIGITS);
}

/** One writer for every feed: feeding is synchronous, and its 64 KiB buffer is reused. */
const writer = new LineWriter(() => {});

/** Feed events[from, to) as JSONL into `h`, a 64 KiB chunk per update. */
function feed(h: Hasher, events: readonly TraceEvent[], shapes: readonly Shape[] | undefined, from: number, to: number): void {
  if (from >= to) return;
  checkPrototype();
  writer.sink = (chunk) => h.update(chunk);
  try {
    for (let j = from; j < to; j++) writer.line(events[j]!, shapes === undefined ? Shape.ANY : (shapes[j] ?? Shape.ANY));
    writer.flush();
  } finally {
    writer.discard();
    writer.sink = () => {};
  }
}

/** The kinds of line a StreamingTrace writes without keeping: the engine's own. */
export const STREAMED_KINDS: readonly string[] = ["send", "deliver", "drop", "timer", "note"];

/** A template and the strings it was made from (a node index may name another node after a restore). */
interface Template {
  a: string;
  b: string;
  bytes: Encoded;
}

/**
 * A trace for a run that is never replayed (the CLI): each line goes to the hash as it is made,
 * and only the events the engine does not write itself — observations, timeline actions,
 * failures — are kept as objects, for the checks (labs/checking.ts `Watch.feedKept`). The
 * engine's sends, deliveries, drops, timers and notes, nearly every line of a run, are written
 * as bytes from their fields without being built at all, with the constant middle of each
 * line (kind, node ids, key names) from a template per pair of nodes. The bytes, and so the
 * hash, are the ones `Trace` gives (the same LineWriter pieces, in the same order).
 *
 * `events` holds only the kept events (each with its own seq); it cannot rewind, truncate or
 * hash a prefix.
 */
export class StreamingTrace extends Trace {
  private readonly out: LineWriter;
  private count = 0;
  /** events[unwritten...] are kept events whose lines are not written yet. */
  private unwritten = 0;
  /** Templates by node index: [from][to] for deliveries, drops and sends; [node] for notes; timers by node, then name. */
  private readonly delivers: (Template | undefined)[][] = [];
  private readonly drops: (Template | undefined)[][] = [];
  private readonly sends: (Template | undefined)[][] = [];
  private readonly notes: (Template | undefined)[] = [];
  private readonly timers: Template[][] = [];

  constructor(options: TraceOptions = {}) {
    super(options);
    this.out = new LineWriter((chunk) => this.hasher.update(chunk));
    checkPrototype();
  }

  override get length(): number {
    return this.count;
  }

  override get nextSeq(): number {
    return this.count;
  }

  /** Kept events are not contiguous: read each one's seq. */
  override get first(): number {
    throw new Error("StreamingTrace keeps only some events: read each event's seq");
  }

  override push(e: TraceEvent, shape: Shape = Shape.ANY): void {
    this.events.push(e);
    this.shapes.push(shape);
    this.count++;
  }

  override add(t: number, kind: string, fields: Record<string, unknown>): TraceEvent {
    const e = { t, seq: this.count, kind, ...fields } as TraceEvent;
    this.push(e);
    return e;
  }

  override deliver(t: number, from: string, to: string, id: number, src: number, dst: number): void {
    const w = this.begin(t);
    w.bytes(pair(this.delivers, "deliver", from, to, src, dst));
    w.idEnd(id);
  }

  override drop(t: number, from: string, to: string, id: number, reason: string, src: number, dst: number): void {
    const w = this.begin(t);
    w.bytes(pair(this.drops, "drop", from, to, src, dst));
    w.dropEnd(id, reason);
  }

  override timer(t: number, node: string, name: string, n: number): void {
    // A name that is not a string (a protocol's mistake) is written as JSON has it.
    if (typeof name !== "string") return this.whole({ t, seq: this.count, kind: "timer", node, name });
    const w = this.begin(t);
    const byName = (this.timers[n] ??= []);
    let tm: Template | undefined;
    for (let k = 0; k < byName.length; k++) {
      const c = byName[k]!;
      if (c.b === name && c.a === node) {
        tm = c;
        break;
      }
    }
    if (tm === undefined) {
      tm = { a: node, b: name, bytes: timerTemplate(node, name) };
      // A node names few timers; one that makes up names without end keeps only recent ones.
      if (byName.length >= 16) byName.length = 0;
      byName.push(tm);
    }
    w.bytes(tm.bytes);
  }

  override note(t: number, node: string, text: string, n: number): void {
    const w = this.begin(t);
    let tm = this.notes[n];
    if (tm === undefined || tm.a !== node) tm = this.notes[n] = { a: node, b: "", bytes: noteTemplate(node) };
    w.bytes(tm.bytes);
    w.textEnd(text);
  }

  override send(t: number, from: string, to: string, id: number, msg: unknown, arrive: number[] | undefined, src: number, dst: number): void {
    // A message with toJSON: the whole line through JSON.stringify (toJSON gets the key "msg").
    if (typeof msg === "object" && msg !== null && typeof (msg as { toJSON?: unknown }).toJSON === "function") {
      return this.whole(arrive === undefined ? { t, seq: this.count, kind: "send", from, to, id, msg } : { t, seq: this.count, kind: "send", from, to, id, msg, arrive });
    }
    const w = this.begin(t);
    w.bytes(pair(this.sends, "send", from, to, src, dst));
    w.sendEnd(id, msg, arrive);
  }

  /** Write the kept events not written yet, then start the next engine line (`{"t":…,"seq":…`). */
  private begin(t: number): LineWriter {
    if (this.unwritten < this.events.length) this.writeKept();
    const w = this.out;
    w.start(t, this.count++);
    return w;
  }

  /** A line built whole, as Trace would write it. */
  private whole(e: TraceEvent): void {
    if (this.unwritten < this.events.length) this.writeKept();
    this.count++;
    this.out.line(e, Shape.ANY);
  }

  private writeKept(): void {
    const ev = this.events;
    for (let j = this.unwritten; j < ev.length; j++) this.out.line(ev[j]!, this.shapes[j]!);
    this.unwritten = ev.length;
  }

  /** Keep only the last `keep` kept events in memory (the hash has them all). */
  override forget(keep: number): void {
    this.writeKept();
    const drop = this.events.length - Math.max(0, keep);
    if (drop <= 0) return;
    this.events.splice(0, drop);
    this.shapes.splice(0, drop);
    this.unwritten = this.events.length;
  }

  override hash(upTo = this.count): string {
    if (upTo !== this.count) throw new Error("StreamingTrace.hash: only the whole run's hash");
    checkPrototype();
    this.writeKept();
    this.out.flush();
    return bytesToHex(this.hasher.clone().digest()).slice(0, HASH_HEX_DIGITS);
  }

  override truncate(): void {
    throw new Error("StreamingTrace cannot truncate");
  }

  override mark(): TraceMark {
    throw new Error("StreamingTrace cannot mark");
  }

  override rewind(): void {
    throw new Error("StreamingTrace cannot rewind");
  }

  override forgetBefore(): void {
    throw new Error("StreamingTrace keeps no window");
  }
}

/** The template for a line of `kind` from `from` to `to`, by node indexes (-1: no index). */
function pair(table: (Template | undefined)[][], kind: "deliver" | "drop" | "send", from: string, to: string, src: number, dst: number): Encoded {
  if (src < 0 || dst < 0) return pairTemplate(kind, from, to);
  const row = (table[src] ??= []);
  let tm = row[dst];
  if (tm === undefined || tm.a !== from || tm.b !== to) tm = row[dst] = { a: from, b: to, bytes: pairTemplate(kind, from, to) };
  return tm.bytes;
}
