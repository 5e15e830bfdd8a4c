// What is in flight: the message copies the network view draws at a virtual time, derived from
// the trace alone (like RaftScope, which places messages from their send and receive times).
//
// The engine writes each copy's arrival time into its `send` event (`arrive`), so a copy's
// flight is known the moment it leaves; only its fate at arrival (`deliver` or `drop`) waits
// until the engine reaches that time. A copy is drawn
//   - flying   while sentAt <= t < arriveAt, whatever its fate;
//   - falling  for a while after it was dropped: from arriveAt if it was dropped on arrival
//              (crashed, failed, partitioned by then), from sentAt if it was lost at send
//              (`send` without `arrive`, then a `drop` at the same time);
//   - not at all once delivered, or once past arriveAt while its fate is not in the trace
//     yet (the run has not got there; it reappears as falling if a `drop` turns up).
//
// Speed: the view asks every animation frame, with traces of up to ~10^6 events and a few
// hundred copies in flight. FlightIndex keeps one record per copy still in the trace's window,
// in send order (so sorted by sentAt), and reads only the new events on each update. A query binary-searches the first
// copy sent at or after t - horizon and scans forward to t, where the horizon is the longest
// flight seen so far plus its fall: no copy sent earlier can still be visible. Learning the
// horizon from the trace, rather than taking a latency bound from the scenario, stays exact
// when a `set network.latency` or a FIFO link pushes an arrival past the configured maximum.

import type { TraceEvent } from "../sim/trace.ts";
import type { FlyingMessage } from "./frame.ts";

export interface FlightOptions {
  /**
   * How long a dropped copy falls, in virtual ms. Default: 40 % of its own flight time (at
   * least 5 ms) for a copy dropped on arrival, and 30 ms for one lost at send.
   */
  fallMs?: number;
}

/** Default fall of a copy lost at send, in virtual ms. */
export const LOST_FALL_MS = 30;
/** A copy dropped on arrival falls for this share of its flight time… */
export const DROP_FALL_SHARE = 0.4;
/** …but at least this long, so a fast message's drop is still seen. */
export const MIN_DROP_FALL_MS = 5;

/** How long a dropped copy falls, given how long it flew (0 for one lost at send). */
export function fallMsOf(flightMs: number, lostAtSend: boolean, opts: FlightOptions = {}): number {
  if (opts.fallMs !== undefined) return opts.fallMs;
  return lostAtSend ? LOST_FALL_MS : Math.max(MIN_DROP_FALL_MS, DROP_FALL_SHARE * flightMs);
}

const PENDING = 0;
const DELIVERED = 1;
const DROPPED_ON_ARRIVAL = 2;
const LOST_AT_SEND = 3;
type Fate = typeof PENDING | typeof DELIVERED | typeof DROPPED_ON_ARRIVAL | typeof LOST_AT_SEND;

interface Copy {
  send: TraceEvent;
  /** 0, or 1 for a duplicate's second copy. */
  copy: number;
  sentAt: number;
  /** Equal to sentAt for a copy lost at send: it never left. */
  arriveAt: number;
  /** False when the send had no `arrive`: the network lost it at once. */
  routed: boolean;
  fate: Fate;
  /** Seq of the deliver/drop that settled it; -1 while pending. */
  fateSeq: number;
  reason: string | undefined;
}

/**
 * An incremental index of message copies over one trace's events array. Call
 * `update(events)` whenever the trace may have changed (every frame is fine), then
 * `at(t, kindOf)`.
 *
 * Events are known by their `seq`, their place in the whole run, as `Trace` numbers them; the
 * array may be a window (`Trace.forget` drops old events from its front, and the copies sent
 * by forgotten events are dropped here too, so memory stays bounded with the trace's). Each
 * update reads only the events after the last one read. When the trace went back (a rewind
 * or truncate for a seek or an edit) and grew again, the update finds the last send still in
 * place and re-reads from just after it; `truncate(length)` along with `Trace.truncate`
 * says so directly.
 */
export class FlightIndex {
  /** In send order, which is seq order and sentAt order. */
  private copies: Copy[] = [];
  /** Message id → its copies, while some copy of it has no fate yet. */
  private pending = new Map<number, Copy[]>();
  private events: readonly TraceEvent[] = [];
  /** The seq of the next event to read, and the last event read. */
  private next = 0;
  private last: TraceEvent | undefined;
  private maxFlight = 0;
  private readCount = 0;

  /** Copies held (for tests and diagnostics). */
  get size(): number {
    return this.copies.length;
  }

  /** Events read so far, re-reads included (for tests and diagnostics). */
  get eventsRead(): number {
    return this.readCount;
  }

  /** The longest flight seen so far, in virtual ms. */
  get longestFlightMs(): number {
    return this.maxFlight;
  }

  /**
   * How far back from t a query must look: the longest flight plus its fall, or the fall of
   * a copy lost at send if that is longer. Both falls grow with the flight, so the longest
   * flight bounds every copy's visible span.
   */
  horizon(opts: FlightOptions = {}): number {
    const f = this.maxFlight;
    return Math.max(f + fallMsOf(f, false, opts), fallMsOf(0, true, opts));
  }

  update(events: readonly TraceEvent[]): this {
    if (events !== this.events || events.length === 0) this.reset(events);
    else {
      const first = events[0]!.seq;
      const lastAt = this.next - 1 - first;
      const intact = this.last !== undefined && lastAt >= 0 && lastAt < events.length && events[lastAt] === this.last;
      if (!intact) this.recover(events, first);
      this.prune(first);
    }
    const first = events[0]?.seq ?? 0;
    this.read(events, Math.max(0, this.next - first));
    return this;
  }

  /**
   * Forget what was read from seq `length` on, keeping the copies and fates read before it.
   * Call it with the length given to `Trace.truncate` (or a mark's, to `Trace.rewind`).
   */
  truncate(length: number): void {
    if (length >= this.next) return;
    const first = this.events[0]?.seq ?? 0;
    if (length <= first) this.reset(this.events);
    else this.cut(length, first);
  }

  /** The copies to draw at virtual time t, in send order. `kindOf` names a message's kind. */
  at(t: number, kindOf: (msg: unknown) => string, opts: FlightOptions = {}): FlyingMessage[] {
    const copies = this.copies;
    const out: FlyingMessage[] = [];
    for (let i = firstSentAtOrAfter(copies, t - this.horizon(opts)); i < copies.length; i++) {
      const c = copies[i]!;
      if (c.sentAt > t) break;
      const m = visible(c, t, kindOf, opts);
      if (m !== null) out.push(m);
    }
    return out;
  }

  private reset(events: readonly TraceEvent[]): void {
    this.copies = [];
    this.pending.clear();
    this.events = events;
    this.next = events[0]?.seq ?? 0;
    this.last = undefined;
    this.maxFlight = 0;
  }

  /**
   * The events after some point were replaced. Sends before that point are still the same
   * objects at the same places, those after it are not, so a binary search over the copies
   * finds the last send still in place; everything up to it stands.
   */
  private recover(events: readonly TraceEvent[], first: number): void {
    const copies = this.copies;
    const inPlace = (c: Copy) => {
      const at = c.send.seq - first;
      return at >= 0 && at < events.length && events[at] === c.send;
    };
    let lo = 0;
    let hi = copies.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inPlace(copies[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) this.reset(events);
    else this.cut(copies[lo - 1]!.send.seq + 1, first);
  }

  /** Keep what was read before seq `length`; `first` is the seq of events[0]. */
  private cut(length: number, first: number): void {
    const copies = this.copies;
    let n = copies.length;
    while (n > 0 && copies[n - 1]!.send.seq >= length) n--;
    for (let i = n; i < copies.length; i++) this.unpend(copies[i]!);
    copies.length = n;
    // A fate read at or after `length` happened no earlier than the last kept send, so the
    // copy it settled was sent at most one flight before that: only those can need reopening.
    const lastSent = n > 0 ? copies[n - 1]!.sentAt : 0;
    for (let i = n - 1; i >= 0 && copies[i]!.sentAt >= lastSent - this.maxFlight; i--) {
      const c = copies[i]!;
      if (c.fateSeq < length) continue;
      c.fate = PENDING;
      c.fateSeq = -1;
      c.reason = undefined;
      const id = c.send.id;
      if (id !== undefined && this.pending.get(id)?.[0]?.send !== c.send) {
        this.pending.set(id, copies.slice(i - c.copy, i - c.copy + copiesOf(c.send)));
      }
    }
    this.next = length;
    this.last = this.events[length - 1 - first];
  }

  /** Drop the copies whose send the trace has forgotten (seq before `first`). */
  private prune(first: number): void {
    const copies = this.copies;
    let k = 0;
    while (k < copies.length && copies[k]!.send.seq < first) this.unpend(copies[k++]!);
    if (k > 0) copies.splice(0, k);
  }

  private unpend(c: Copy): void {
    const id = c.send.id;
    if (id !== undefined && this.pending.get(id)?.[0]?.send === c.send) this.pending.delete(id);
  }

  private read(events: readonly TraceEvent[], from: number): void {
    const n = events.length;
    for (let i = from; i < n; i++) {
      const e = events[i]!;
      const kind = e.kind;
      if (kind === "send") this.addSend(e);
      else if (kind === "deliver" || kind === "drop") this.settle(e);
    }
    if (n > from) {
      this.readCount += n - from;
      this.last = events[n - 1];
      this.next = this.last!.seq + 1;
    }
  }

  private addSend(e: TraceEvent): void {
    const arrive = e.arrive as readonly number[] | undefined;
    const mine: Copy[] = [];
    if (arrive === undefined || arrive.length === 0) {
      mine.push({ send: e, copy: 0, sentAt: e.t, arriveAt: e.t, routed: false, fate: PENDING, fateSeq: -1, reason: undefined });
    } else {
      for (let c = 0; c < arrive.length; c++) {
        const at = arrive[c]!;
        if (at - e.t > this.maxFlight) this.maxFlight = at - e.t;
        mine.push({ send: e, copy: c, sentAt: e.t, arriveAt: at, routed: true, fate: PENDING, fateSeq: -1, reason: undefined });
      }
    }
    for (const c of mine) this.copies.push(c);
    if (e.id !== undefined) this.pending.set(e.id, mine);
  }

  /** A deliver or drop settles the pending copy of its message that arrives first. */
  private settle(e: TraceEvent): void {
    const id = e.id;
    if (id === undefined) return;
    const mine = this.pending.get(id);
    if (mine === undefined) return;
    let pick: Copy | undefined;
    let open = 0;
    for (const c of mine) {
      if (c.fate !== PENDING) continue;
      open++;
      if (pick === undefined || c.arriveAt < pick.arriveAt) pick = c;
    }
    if (pick === undefined) return;
    if (e.kind === "deliver") pick.fate = DELIVERED;
    else {
      pick.fate = pick.routed ? DROPPED_ON_ARRIVAL : LOST_AT_SEND;
      pick.reason = typeof e.reason === "string" ? e.reason : undefined;
    }
    pick.fateSeq = e.seq;
    if (open === 1) this.pending.delete(id);
  }
}

function copiesOf(send: TraceEvent): number {
  const arrive = send.arrive as readonly number[] | undefined;
  return arrive === undefined || arrive.length === 0 ? 1 : arrive.length;
}

/** The copy as drawn at t, or null when it is not drawn then. */
function visible(c: Copy, t: number, kindOf: (msg: unknown) => string, opts: FlightOptions): FlyingMessage | null {
  if (t < c.sentAt) return null;
  let dropAt: number;
  if (c.fate === LOST_AT_SEND) dropAt = c.sentAt;
  else if (t < c.arriveAt) return message(c, "flying", kindOf);
  else if (c.fate === DROPPED_ON_ARRIVAL) dropAt = c.arriveAt;
  else return null;
  const fallEnd = dropAt + fallMsOf(c.arriveAt - c.sentAt, c.fate === LOST_AT_SEND, opts);
  if (t >= fallEnd) return null;
  const m = message(c, "falling", kindOf);
  m.dropAt = dropAt;
  m.fallEnd = fallEnd;
  if (c.reason !== undefined) m.reason = c.reason;
  return m;
}

function message(c: Copy, state: FlyingMessage["state"], kindOf: (msg: unknown) => string): FlyingMessage {
  const s = c.send;
  const id = s.id ?? -1;
  return {
    key: c.copy === 0 ? `${id}` : `${id}.${c.copy}`,
    id,
    from: s.from ?? "",
    to: s.to ?? "",
    kind: kindOf(s.msg),
    sentAt: c.sentAt,
    arriveAt: c.arriveAt,
    state,
    msg: s.msg,
  };
}

/** First index whose copy was sent at or after `t` (copies are in send order). */
function firstSentAtOrAfter(copies: readonly Copy[], t: number): number {
  let lo = 0;
  let hi = copies.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (copies[mid]!.sentAt < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const indexes = new WeakMap<readonly TraceEvent[], FlightIndex>();

/**
 * The copies to draw at virtual time t. Events are the trace's (`Trace.events`: in trace
 * order, each with its run-wide `seq`). Each events array gets its own FlightIndex, kept while
 * the array lives, so calling this every frame on the live trace reads each event about once.
 */
export function messagesAt(
  events: readonly TraceEvent[],
  t: number,
  kindOf: (msg: unknown) => string,
  opts: FlightOptions = {},
): FlyingMessage[] {
  let index = indexes.get(events);
  if (index === undefined) {
    index = new FlightIndex();
    indexes.set(events, index);
  }
  return index.update(events).at(t, kindOf, opts);
}
