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
  }

  /** The hash of the first `upTo` events (default: all). */
  hash(upTo = this.events.length): string {
    return hashEvents(this.events, upTo);
  }
}

export function traceLine(e: TraceEvent): string {
  return JSON.stringify(e);
}

export function hashEvents(events: readonly TraceEvent[], upTo = events.length): string {
  const h = sha256.create();
  const enc = new TextEncoder();
  // Encode in chunks: one TextEncoder call per line would dominate for long traces.
  const CHUNK = 512;
  for (let i = 0; i < upTo; i += CHUNK) {
    let text = "";
    const end = Math.min(upTo, i + CHUNK);
    for (let j = i; j < end; j++) text += traceLine(events[j]!) + "\n";
    h.update(enc.encode(text));
  }
  return bytesToHex(h.digest()).slice(0, HASH_HEX_DIGITS);
}
