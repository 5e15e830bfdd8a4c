// The trace: every event of a run, in the order the engine processed it.
//
// One JSON object a line (`{t, seq, kind, ...}`); `seq` is the line number. The objects are
// built with a fixed key order, so `JSON.stringify` of each is the canonical line, and the
// trace hash is SHA-256 over the JSONL text — `sha256sum trace.jsonl` gives the same digest
// the CLI and the page show (we show its first 16 hex digits).

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export interface TraceEvent {
  t: number;
  seq: number;
  kind: string;
  node?: string;
  from?: string;
  to?: string;
  id?: number;
  msg?: unknown;
  [field: string]: unknown;
}

export const HASH_HEX_DIGITS = 16;

export class Trace {
  readonly events: TraceEvent[] = [];
  /** A running hash over events[0, hashed): the page asks for the hash every frame. */
  private hasher = sha256.create();
  private hashed = 0;

  get length(): number {
    return this.events.length;
  }

  /** The seq the next event gets: callers on hot paths build the event literal themselves. */
  get nextSeq(): number {
    return this.events.length;
  }

  /** Appends an event built with `seq: nextSeq` and keys in canonical order (t, seq, kind, ...). */
  push(e: TraceEvent): void {
    this.events.push(e);
  }

  /** Appends an event; `fields` go after t, seq and kind, in their own order. */
  add(t: number, kind: string, fields: Record<string, unknown>): TraceEvent {
    const e = { t, seq: this.events.length, kind, ...fields } as TraceEvent;
    this.events.push(e);
    return e;
  }

  truncate(length: number): void {
    this.events.length = Math.min(length, this.events.length);
    if (this.hashed > this.events.length) {
      this.hasher = sha256.create();
      this.hashed = 0;
    }
  }

  /** The hash of the first `upTo` events (default: all). */
  hash(upTo = this.events.length): string {
    if (upTo < this.hashed) return hashEvents(this.events, upTo);
    feed(this.hasher, this.events, this.hashed, upTo);
    this.hashed = upTo;
    return bytesToHex(this.hasher.clone().digest()).slice(0, HASH_HEX_DIGITS);
  }
}

export function traceLine(e: TraceEvent): string {
  return JSON.stringify(e);
}

export function hashEvents(events: readonly TraceEvent[], upTo = events.length): string {
  const h = sha256.create();
  feed(h, events, 0, upTo);
  return bytesToHex(h.digest()).slice(0, HASH_HEX_DIGITS);
}

const encoder = new TextEncoder();

/** Feed events[from, to) as JSONL into `h`, in chunks: one encode call per line would dominate. */
function feed(h: ReturnType<typeof sha256.create>, events: readonly TraceEvent[], from: number, to: number): void {
  const CHUNK = 512;
  for (let i = from; i < to; i += CHUNK) {
    let text = "";
    const end = Math.min(to, i + CHUNK);
    for (let j = i; j < end; j++) text += traceLine(events[j]!) + "\n";
    h.update(encoder.encode(text));
  }
}
