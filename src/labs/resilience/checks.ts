// The resilience lab's checks, followed event by event.
//
// - Idempotency: no operation executes twice when the repeat carried its key (with keys on,
//   the downstream must answer a repeat from what it remembers).
// - The breaker: while a front's breaker is open, the downstream receives no calls from it;
//   while half-open, only trial calls.
// - The queue: a front's queue never holds more than its bound.

import type { TraceEvent } from "../../sim/trace.ts";
import { defineCheck, own, put, type Check } from "../checking.ts";
import type { ResilienceParams } from "./params.ts";

type Exec = { seq: number };

export const onceOnly: Check<{ done: Record<string, Exec> }> = defineCheck<{ done: Record<string, Exec> }>({
  id: "executes-once",
  title: "With idempotency keys, no operation executes twice",
  kinds: ["execute"],
  init: () => ({ done: {} }),
  step(s, e) {
    const op = String(e.op);
    const before = own(s.done, op);
    put(s.done, op, { seq: e.seq });
    if (before !== undefined && e.keyed === true) {
      return [{ check: "executes-once", message: `${op} executed twice though its repeat carried its idempotency key`, t: e.t, events: [before.seq, e.seq] }];
    }
  },
});

export const breakerHolds: Check<{ state: Record<string, { state: string; seq: number }> }> = defineCheck({
  id: "breaker-holds",
  title: "An open breaker lets no call through; a half-open one only its trials",
  kinds: ["breaker", "call"],
  init: () => ({ state: {} as Record<string, { state: string; seq: number }> }),
  step(s, e: TraceEvent) {
    const node = String(e.node);
    if (e.kind === "breaker") {
      put(s.state, node, { state: String(e.to), seq: e.seq });
      return;
    }
    const b = own(s.state, node);
    if (b === undefined) return;
    if (b.state === "open") return [{ check: "breaker-holds", message: `${node} called the downstream (${e.op}) with its breaker open`, t: e.t, events: [b.seq, e.seq] }];
    if (b.state === "half-open" && e.trial !== true) return [{ check: "breaker-holds", message: `${node} called the downstream (${e.op}) half-open, outside its trials`, t: e.t, events: [b.seq, e.seq] }];
  },
});

export const queueBound: Check<{ bound: number }> = defineCheck<{ bound: number }>({
  id: "queue-bound",
  title: "The front's queue never exceeds its bound",
  kinds: ["front", "set"],
  init: ({ params }) => ({ bound: (params as ResilienceParams).queue }),
  step(s, e) {
    if (e.kind === "set") {
      if (e.path === "params.queue") s.bound = Number(e.value);
      return;
    }
    // A lowered bound lets a fuller queue drain; it must not grow past it.
    if (Number(e.queue) > s.bound) return [{ check: "queue-bound", message: `${e.node}'s queue holds ${e.queue}, above its bound of ${s.bound}`, t: e.t, events: [e.seq] }];
  },
});

export const checks: Check[] = [onceOnly, breakerHolds, queueBound];
