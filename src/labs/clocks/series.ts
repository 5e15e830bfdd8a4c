// The clocks lab's series: every clock event of the run (the space-time diagram draws the whole
// run, not a recent window), each delivery tied to its send, the clocks' skews as they stand,
// and the figures the panel and the CLI show: clock anomalies (a message received "before" it
// was sent, by the two nodes' physical clocks) and the register's lost writes under each order.

import { own, put } from "../checking.ts";
import type { Reducer } from "../types.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { stampCompare, vcCompare, type Hlc, type VC } from "./clocks.ts";
import type { ClocksParams } from "./params.ts";
import { newSkews, skewsStep, type Skews } from "./skews.ts";

export type ClockEvent = {
  seq: number;
  /** Virtual time: the truth no node can read. */
  t: number;
  node: string;
  event: "local" | "send" | "deliver";
  /** The message a send sent or a delivery received. */
  id?: string;
  to?: string[];
  from?: string;
  /** For a delivery: the index of its send in `events` (absent if the send is not in the run). */
  src?: number;
  /** For a write (a send of the register's new value): the value. */
  write?: string;
  lamport: number;
  vc: VC;
  hlc: Hlc;
  /** The node's physical clock reading at the event. */
  pt: number;
};

export type Spacetime = {
  skews: Skews;
  params: ClocksParams;
  events: ClockEvent[];
  /** Index in `events` of each message's send, by message id. */
  sends: Record<string, number>;
  /** Deliveries whose physical receive reading is before the send's. */
  anomalies: number;
  /** The scenario's end, for the diagram's time axis. */
  until: number;
};

/** Read a trace event of kind "clock" as the lab wrote it. */
export function clockEvent(e: TraceEvent): ClockEvent {
  const out: ClockEvent = {
    seq: e.seq,
    t: e.t,
    node: String(e.node),
    event: e.event as ClockEvent["event"],
    lamport: Number(e.lamport),
    vc: e.vc as VC,
    hlc: e.hlc as Hlc,
    pt: Number(e.pt),
  };
  if (typeof e.id === "string") out.id = e.id;
  if (Array.isArray(e.to)) out.to = e.to as string[];
  if (typeof e.from === "string") out.from = e.from;
  if (typeof e.write === "string") out.write = e.write;
  return out;
}

export function newSpacetime(ctx: { scenario: import("../../scenario/types.ts").Scenario; params: Readonly<Record<string, unknown>> }): Spacetime {
  return { skews: newSkews(ctx.scenario), params: { ...(ctx.params as ClocksParams) }, events: [], sends: {}, anomalies: 0, until: ctx.scenario.until };
}

export function spacetimeStep(s: Spacetime, e: TraceEvent): void {
  if (e.kind === "set" && typeof e.path === "string" && e.path.startsWith("params.")) {
    s.params = { ...s.params, [e.path.slice("params.".length)]: e.value };
    return;
  }
  if (e.kind !== "clock") {
    skewsStep(s.skews, e);
    return;
  }
  const c = clockEvent(e);
  if (c.event === "send" && c.id !== undefined) put(s.sends, c.id, s.events.length);
  if (c.event === "deliver" && c.id !== undefined) {
    const src = own(s.sends, c.id);
    if (src !== undefined) {
      c.src = src;
      if (s.events[src]!.pt > c.pt) s.anomalies++;
    }
  }
  s.events.push(c);
}

export const spacetime: Reducer<Spacetime> = { id: "spacetime", init: newSpacetime, step: (s, e) => void spacetimeStep(s, e) };

/**
 * Writes the register lost under an order: a write w' made after another write w (w → w', by
 * their vector clocks) whose stamp the order ranks below w's, so every replica that has both
 * keeps the older w. Concurrent writes are not counted: one of them must give way.
 */
export function lostWrites(events: readonly ClockEvent[], order: ClocksParams["order"]): ClockEvent[] {
  const writes = events.filter((e) => e.write !== undefined);
  const stamp = (e: ClockEvent) => ({ pt: e.pt, hlc: e.hlc, by: e.node });
  return writes.filter((w2) => writes.some((w1) => w1 !== w2 && vcCompare(w1.vc, w2.vc) === "before" && stampCompare(stamp(w1), stamp(w2), order) > 0));
}
