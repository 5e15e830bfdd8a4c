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
import { LineWriter, Shape, checkPrototype } from "./jsonl.ts";

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
  private readonly shapes: Shape[] = [];
  private offset = 0;
  private readonly newHasher: () => Hasher;
  /** A running hash over every event with seq < hashed: the page asks for it every frame. */
  private hasher: Hasher;
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
