// The trace's JSON lines as bytes, written straight into one reusable buffer.
//
// The trace hash is SHA-256 over `JSON.stringify(event) + "\n"` for every event, as UTF-8.
// Building those strings and encoding them cost more than the simulation itself on long runs,
// so the hash is fed from here instead: each line is written as UTF-8 into a buffer that is
// handed to a sink (the hasher, and in the CLI the --trace file too) whenever it fills.
// Hashing cares only about the byte stream, so chunks split lines anywhere.
//
// The bytes are exactly those of JSON.stringify (src/sim/jsonl.test.ts checks it on random
// events: unicode, escapes, lone surrogates, -0, 1e21, fractional times). Events the engine
// builds itself — its send, deliver, drop, timer and note literals — come with a Shape saying
// which literal built them, so their keys need not be looked at; any other event (observations,
// tests, a trace pushed by hand) goes through JSON.stringify.

import { writeShortest } from "./shortest.ts";
import type { TraceEvent } from "./event.ts";

/** The text the writer gives a number (for tests: it must be JSON.stringify's). */
export function jsonNumber(n: number): string {
  let out = "";
  const w = new LineWriter((chunk) => (out += new TextDecoder().decode(chunk)), 64);
  w.line({ t: n, seq: 0, kind: "timer", node: "", name: "" }, Shape.TIMER);
  w.flush();
  return out.slice('{"t":'.length, out.indexOf(',"seq":'));
}

/** Which of the engine's own event literals built an event; ANY when nobody says. */
export const Shape = {
  /** Anything: serialized with JSON.stringify. */
  ANY: 0,
  /** {t, seq, kind: "deliver", from, to, id} */
  DELIVER: 1,
  /** {t, seq, kind: "drop", from, to, id, reason} */
  DROP: 2,
  /** {t, seq, kind: "timer", node, name} */
  TIMER: 3,
  /** {t, seq, kind: "note", node, text} */
  NOTE: 4,
  /** {t, seq, kind: "send", from, to, id, msg} with `arrive` last when the message was not lost */
  SEND: 5,
} as const;
export type Shape = (typeof Shape)[keyof typeof Shape];

const encoder = new TextEncoder();

/** Text as its UTF-8 bytes in little-endian 32-bit words: written four bytes at a time (see `lit`). */
interface Encoded {
  length: number;
  words: Uint32Array;
}

function encoded(text: string): Encoded {
  const bytes = encoder.encode(text);
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << (8 * (i & 3));
  return { length: bytes.length, words };
}

const T = encoded('{"t":');
const SEQ = encoded(',"seq":');
const DELIVER = encoded(',"kind":"deliver","from":');
const DROP = encoded(',"kind":"drop","from":');
const SEND = encoded(',"kind":"send","from":');
const TIMER = encoded(',"kind":"timer","node":');
const NOTE = encoded(',"kind":"note","node":');
const TO = encoded(',"to":');
const ID = encoded(',"id":');
const REASON = encoded(',"reason":');
const NAME = encoded(',"name":');
const TEXT = encoded(',"text":');
const MSG = encoded(',"msg":');
const ARRIVE = encoded(',"arrive":[');
const TRUE = encoded("true");
const FALSE = encoded("false");
const NULL = encoded("null");

/** A message key as the bytes of `"key":` and of `,"key":`. */
interface Key {
  first: Encoded;
  next: Encoded;
}
/** Keys of the messages seen: a protocol uses a handful. Bounded, in case one uses many. */
const keys = new Map<string, Key>();
const MAX_KEYS = 4096;

function keyBytes(key: string): Key {
  // JSON.stringify quotes and escapes it (no lone surrogates left to encode).
  const quoted = JSON.stringify(key);
  const k: Key = { first: encoded(quoted + ":"), next: encoded("," + quoted + ":") };
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(key, k);
  return k;
}

/** Recent fractional numbers and their text: 2^CACHE_BITS slots of up to 36 bytes (9 words). */
const CACHE_BITS = 12;
const CACHE_WORDS = 9;
const cacheKeys = new Float64Array(1 << CACHE_BITS).fill(NaN);
const cacheLengths = new Uint8Array(1 << CACHE_BITS);
const cacheWords = new Uint32Array((1 << CACHE_BITS) * CACHE_WORDS);
const numBits = new Float64Array(1);
const numWords = new Uint32Array(numBits.buffer);

/**
 * for-in lists inherited enumerable keys too, which JSON leaves out: plain objects are written
 * here only while Object.prototype has none (someone adding one is not our business to fix).
 */
let plainPrototype = true;
/** Re-checked by each feed (trace.ts), so a polluted prototype is noticed before it matters. */
export function checkPrototype(): void {
  plainPrototype = true;
  for (const _ in {}) plainPrototype = false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Writes JSON lines into a buffer and hands full buffers to `sink`. The chunk passed to the
 * sink is only valid during the call (the buffer is reused): hashers and file writes copy it.
 */
export class LineWriter {
  private buf: Uint8Array;
  /** The same bytes, for writing four at a time. */
  private view: DataView;
  private pos = 0;
  /** While a message is written: keep its bytes from `holdStart` on, so it can be rewritten. */
  private hold = false;
  private holdStart = 0;
  /** The last seq written by `seq` and its digits (ASCII), or lastSeq < 0. */
  private lastSeq = -2;
  private readonly seqDigits = new Uint8Array(16);
  private seqLength = 0;

  constructor(
    public sink: (chunk: Uint8Array) => void,
    size = 1 << 16,
  ) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Hand whatever is buffered to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.pos = 0;
    this.sink(chunk);
  }

  /** Drop whatever is buffered (a line that threw half-way). */
  discard(): void {
    this.pos = 0;
    this.hold = false;
  }

  /** Write `JSON.stringify(e) + "\n"`; `shape` says which engine literal built `e`, if any. */
  line(e: TraceEvent, shape: number): void {
    if (shape === Shape.ANY || !this.engineLine(e, shape)) this.json(JSON.stringify(e));
    this.room(1);
    this.buf[this.pos++] = 0x0a;
  }

  /** The engine's own literals, without looking at their keys. False: write it generically. */
  private engineLine(e: TraceEvent, shape: number): boolean {
    switch (shape) {
      case Shape.DELIVER:
        if (e.kind !== "deliver") return false;
        this.head(e, DELIVER);
        this.str(e.from!);
        this.lit(TO);
        this.str(e.to!);
        this.lit(ID);
        this.num(e.id!);
        break;
      case Shape.DROP:
        if (e.kind !== "drop" || typeof e.reason !== "string") return false;
        this.head(e, DROP);
        this.str(e.from!);
        this.lit(TO);
        this.str(e.to!);
        this.lit(ID);
        this.num(e.id!);
        this.lit(REASON);
        this.str(e.reason);
        break;
      case Shape.TIMER:
        // A protocol names its timers; a name that is not a string is written as JSON has it.
        if (e.kind !== "timer" || typeof e.name !== "string") return false;
        this.head(e, TIMER);
        this.str(e.node!);
        this.lit(NAME);
        this.str(e.name);
        break;
      case Shape.NOTE:
        if (e.kind !== "note" || typeof e.text !== "string") return false;
        this.head(e, NOTE);
        this.str(e.node!);
        this.lit(TEXT);
        this.str(e.text);
        break;
      case Shape.SEND: {
        if (e.kind !== "send") return false;
        const msg = e.msg;
        // toJSON is called with the key ("msg"); stringifying msg alone would pass "".
        if (typeof msg === "object" && msg !== null && typeof (msg as { toJSON?: unknown }).toJSON === "function") return false;
        this.head(e, SEND);
        this.str(e.from!);
        this.lit(TO);
        this.str(e.to!);
        this.lit(ID);
        this.num(e.id!);
        this.message(msg);
        const arrive = e.arrive as number[] | undefined;
        if (arrive !== undefined) {
          this.lit(ARRIVE);
          for (let k = 0; k < arrive.length; k++) {
            if (k > 0) {
              this.room(1);
              this.buf[this.pos++] = 0x2c;
            }
            this.num(arrive[k]!);
          }
          this.room(1);
          this.buf[this.pos++] = 0x5d;
        }
        break;
      }
      default:
        return false;
    }
    this.room(1);
    this.buf[this.pos++] = 0x7d;
    return true;
  }

  /** `,"msg":<msg>`, or nothing for a message JSON leaves out (undefined, a function). */
  private message(msg: unknown): void {
    if (msg === undefined || typeof msg === "function" || typeof msg === "symbol") return;
    this.lit(MSG);
    // Plain data (what protocols send) is written here; anything else by JSON.stringify.
    if (typeof msg !== "object" || msg === null || !plainPrototype) {
      this.json(JSON.stringify(msg));
      return;
    }
    this.holdStart = this.pos;
    this.hold = true;
    const ok = this.value(msg, 0);
    this.hold = false;
    if (!ok) {
      // (`room` may have moved the message's start.)
      this.pos = this.holdStart;
      this.json(JSON.stringify(msg));
    }
  }

  /**
   * A plain JSON value (object, array, string, number, boolean, null) as JSON.stringify writes
   * it inside an object or array; false (leaving junk to be overwritten) for anything it leaves
   * to JSON.stringify: toJSON, class instances, boxed primitives, bigints, deep nesting.
   */
  private value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case "string":
        this.str(v);
        return true;
      case "number":
        this.num(v);
        return true;
      case "boolean":
        this.lit(v ? TRUE : FALSE);
        return true;
      case "object":
        break;
      default:
        return false;
    }
    if (v === null) {
      this.lit(NULL);
      return true;
    }
    if (depth > 32) return false;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return false;
      this.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.byte(0x2c);
        const x: unknown = v[i];
        if (x === undefined || typeof x === "function" || typeof x === "symbol") this.lit(NULL);
        else if (!this.value(x, depth + 1)) return false;
      }
      this.byte(0x5d);
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    const o = v as Record<string, unknown>;
    if (typeof o.toJSON === "function") return false;
    this.byte(0x7b);
    let first = true;
    for (const key in o) {
      const x = o[key];
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      // `,"key":` (or without the comma for the first), from a cache of keys seen.
      let k = keys.get(key);
      if (k === undefined) k = keyBytes(key);
      if (first) {
        first = false;
        this.lit(k.first);
      } else this.lit(k.next);
      if (!this.value(x, depth + 1)) return false;
    }
    this.byte(0x7d);
    return true;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** `{"t":<t>,"seq":<seq>,"kind":"…","<first key>":` */
  private head(e: TraceEvent, kindAndKey: Encoded): void {
    this.lit(T);
    this.num(e.t);
    this.lit(SEQ);
    this.seq(e.seq);
    this.lit(kindAndKey);
  }

  /** A seq: usually the last one plus one, so its digits are the last ones counted up. */
  private seq(n: number): void {
    const digits = this.seqDigits;
    if (n !== this.lastSeq + 1 || this.lastSeq < 0 || n > 0x7fffffff) {
      this.num(n);
      if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
        // Remember its digits (just written) for the next one.
        let len = 1;
        for (let y = n | 0; y >= 10; y = (y / 10) | 0) len++;
        for (let i = 0; i < len; i++) digits[i] = this.buf[this.pos - len + i]!;
        this.seqLength = len;
        this.lastSeq = n;
      } else this.lastSeq = -2;
      return;
    }
    let len = this.seqLength;
    let i = len - 1;
    while (i >= 0 && digits[i] === 0x39) digits[i--] = 0x30;
    if (i >= 0) digits[i]!++;
    else {
      digits.copyWithin(1, 0, len);
      digits[0] = 0x31;
      this.seqLength = ++len;
    }
    this.room(len);
    const buf = this.buf;
    const p = this.pos;
    for (let j = 0; j < len; j++) buf[p + j] = digits[j]!;
    this.pos = p + len;
    this.lastSeq = n;
  }

  /**
   * Make sure `n` more bytes fit: flush, or grow the buffer for one huge line. While a message
   * is being written (`hold`: it may still be rewritten by JSON.stringify), only the bytes
   * before it are flushed; the message's own bytes move to the front of the buffer, which grows
   * only for a message too big for it. (Growing instead of flushing, as it once did, doubled
   * the buffer every time a message met its end: megabytes on a long run.)
   */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.hold) {
      const start = this.holdStart;
      if (start > 0) {
        this.sink(this.buf.subarray(0, start));
        this.buf.copyWithin(0, start, this.pos);
        this.pos -= start;
        this.holdStart = 0;
        if (this.pos + n <= this.buf.length) return;
      }
      const grown = new Uint8Array(Math.max(this.pos + n, 2 * this.buf.length));
      grown.set(this.buf.subarray(0, this.pos));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
      return;
    }
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(n, 2 * this.buf.length));
      this.view = new DataView(this.buf.buffer);
    }
  }

  /** A constant, a word at a time: up to 3 bytes past it get written, then overwritten. */
  private lit(a: Encoded): void {
    this.room(a.length + 3);
    const view = this.view;
    const words = a.words;
    const p = this.pos;
    for (let i = 0; i < words.length; i++) view.setUint32(p + 4 * i, words[i]!, true);
    this.pos = p + a.length;
  }

  /** A number as JSON writes it: the shortest round-trip form, "null" when not finite. */
  private num(n: number): void {
    if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
      // Whole numbers (seq, message ids, many times): digits without a string (-0 is "0").
      // (`| 0` keeps the arithmetic in integers: % on a double is a slow call.)
      this.room(10);
      const buf = this.buf;
      let x = n | 0;
      let len = 1;
      for (let y = x; y >= 10; y = (y / 10) | 0) len++;
      let p = this.pos + len;
      this.pos = p;
      do {
        const q = (x / 10) | 0;
        buf[--p] = 0x30 + x - q * 10;
        x = q;
      } while (x > 0);
      return;
    }
    // Times with a fraction: the shortest digits written here, or (rarely) by V8. A time comes
    // back often (a send's arrival is its deliver's t; events at one instant share theirs), so
    // recent ones are kept, as bytes, in a small table indexed by their bits.
    this.room(4 * CACHE_WORDS);
    const view = this.view;
    const pos = this.pos;
    numBits[0] = n;
    const index = Math.imul(numWords[0]! ^ numWords[1]!, 0x9e3779b1) >>> (32 - CACHE_BITS);
    const slot = index * CACHE_WORDS;
    if (cacheKeys[index] === n) {
      const len = cacheLengths[index]!;
      for (let i = 0; 4 * i < len; i++) view.setUint32(pos + 4 * i, cacheWords[slot + i]!, true);
      this.pos = pos + len;
      return;
    }
    const end = writeShortest(this.buf, pos, n);
    if (end < 0) {
      this.json(Number.isFinite(n) ? "" + n : "null");
      return;
    }
    this.pos = end;
    const len = end - pos;
    cacheKeys[index] = n;
    cacheLengths[index] = len;
    for (let i = 0; 4 * i < len; i++) cacheWords[slot + i] = view.getUint32(pos + 4 * i, true);
  }

  /** A string as a JSON string; plain printable ASCII is copied as it is. */
  private str(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) {
        // Escapes, unicode or lone surrogates: JSON.stringify says how, in full.
        this.json(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** Text that is already JSON, as UTF-8. */
  private json(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.utf8(s, i);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** The rest of `s` from `from`, through TextEncoder (JSON text holds no lone surrogates). */
  private utf8(s: string, from: number): void {
    const rest = from === 0 ? s : s.slice(from);
    this.room(3 * rest.length);
    const { written } = encoder.encodeInto(rest, this.buf.subarray(this.pos));
    this.pos += written;
  }
}
