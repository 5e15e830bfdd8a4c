// The clocks lab's checks, followed event by event on the `clock` events the nodes write.
//
// - Vector clocks encode happened-before exactly: the check rebuilds each event's clock from the
//   run's own structure (each node's events in order, each delivery after its send) and asks
//   that the node's clock equal it. Equal clocks order events exactly as chains of local steps
//   and messages do (the property test checks that by graph search).
// - Lamport is monotone along happened-before: above the node's previous event, and a
//   delivery above its send.
// - HLC: (l, c) rises at every event of a node; l − pt stays within ε, and c below N·(ε + 1)
//   (ε in clock ticks), the bounds of Kulkarni et al. and their TLA+ spec — times k, the most
//   events a node has had within one tick of its clock, which the paper takes to be 1. ε is the clocks' own
//   synchronization bound over the run so far: the widest spread between two nodes' clocks,
//   plus every step a clock has taken backwards, plus one tick of resolution.

import { defineCheck, own, put, type Check, type Violation } from "../checking.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { hlcCompare, hlcText, vcReceive, vcTick, vcText, type Hlc, type VC } from "./clocks.ts";
import type { ClocksParams } from "./params.ts";
import { clockEvent } from "./series.ts";
import { localAt, newSkews, skewsStep, type Skews } from "./skews.ts";

const same = (a: VC, b: VC) => JSON.stringify(a) === JSON.stringify(b);

type VcState = { at: Record<string, VC>; sent: Record<string, VC> };

export const vectorExact: Check<VcState> = defineCheck<VcState>({
  id: "vector-clocks-exact",
  title: "Vector clocks encode happened-before exactly",
  kinds: ["clock"],
  init: () => ({ at: {}, sent: {} }),
  step(s, e) {
    const c = clockEvent(e);
    const before = own(s.at, c.node) ?? {};
    const src = c.event === "deliver" && c.id !== undefined ? own(s.sent, c.id) : undefined;
    const want = src === undefined ? vcTick(before, c.node) : vcReceive(before, src, c.node);
    put(s.at, c.node, want);
    if (c.event === "send" && c.id !== undefined) put(s.sent, c.id, want);
    if (!same(want, c.vc)) {
      return [{ check: "vector-clocks-exact", message: `${c.node}'s vector clock is ${vcText(c.vc)} after its ${c.event}, but its causal past makes it ${vcText(want)}`, t: c.t, events: [c.seq] }];
    }
  },
});

type Stamp = { n: number; seq: number };
type LamportState = { last: Record<string, Stamp>; sent: Record<string, Stamp> };

export const lamportMonotone: Check<LamportState> = defineCheck<LamportState>({
  id: "lamport-monotone",
  title: "Lamport timestamps rise along happened-before",
  kinds: ["clock"],
  init: () => ({ last: {}, sent: {} }),
  step(s, e) {
    const c = clockEvent(e);
    const out: Violation[] = [];
    const prev = own(s.last, c.node);
    if (prev !== undefined && c.lamport <= prev.n) out.push({ check: "lamport-monotone", message: `${c.node}'s Lamport clock went from ${prev.n} to ${c.lamport}`, t: c.t, events: [prev.seq, c.seq] });
    const src = c.event === "deliver" && c.id !== undefined ? own(s.sent, c.id) : undefined;
    if (src !== undefined && c.lamport <= src.n) out.push({ check: "lamport-monotone", message: `${c.node} received ${c.id} at Lamport ${c.lamport}, not above its send's ${src.n}`, t: c.t, events: [src.seq, c.seq] });
    put(s.last, c.node, { n: c.lamport, seq: c.seq });
    if (c.event === "send" && c.id !== undefined) put(s.sent, c.id, { n: c.lamport, seq: c.seq });
    return out;
  },
});

type HlcState = {
  skews: Skews;
  tick: number;
  /** Each node's local clock when last looked at. */
  local: Record<string, number>;
  /** The widest spread between two clocks so far, and the sum of backward steps. */
  spread: number;
  back: number;
  last: Record<string, { hlc: Hlc; seq: number; pt: number }>;
  /** Events a node has had in its current clock tick, and the most in one tick by any node so far. */
  inTick: Record<string, number>;
  perTick: number;
  /** Nodes already reported past a bound (once each, not at every later event). */
  flagged: Record<string, true>;
};

/** The synchronization bound ε in ms as the run stands at time t. */
function epsilonAt(s: HlcState, t: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of s.skews.nodes) {
    const x = localAt(s.skews, n, t);
    const was = own(s.local, n);
    if (was !== undefined && x < was) s.back += was - x;
    put(s.local, n, x);
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (hi > lo) s.spread = Math.max(s.spread, hi - lo);
  return s.spread + s.back + s.tick;
}

export const hlcBounds: Check<HlcState> = defineCheck<HlcState>({
  id: "hlc-bounds",
  title: "HLC rises at every event and stays within ε of physical time",
  kinds: ["clock", "set", "add-node"],
  init: ({ scenario, params }) => ({ skews: newSkews(scenario), tick: (params as ClocksParams).resolution, local: {}, spread: 0, back: 0, last: {}, inTick: {}, perTick: 1, flagged: {} }),
  step(s, e: TraceEvent) {
    if (e.kind === "set" && e.path === "params.resolution") s.tick = Number(e.value);
    if (e.kind !== "clock") {
      skewsStep(s.skews, e);
      return;
    }
    const c = clockEvent(e);
    const eps = epsilonAt(s, c.t);
    const out: Violation[] = [];
    const prev = own(s.last, c.node);
    if (prev !== undefined && hlcCompare(c.hlc, prev.hlc) <= 0) out.push({ check: "hlc-bounds", message: `${c.node}'s HLC went from ${hlcText(prev.hlc)} to ${hlcText(c.hlc)}`, t: c.t, events: [prev.seq, c.seq] });
    const inTick = prev !== undefined && prev.pt === c.pt ? (own(s.inTick, c.node) ?? 1) + 1 : 1;
    put(s.inTick, c.node, inTick);
    s.perTick = Math.max(s.perTick, inTick);
    put(s.last, c.node, { hlc: c.hlc, seq: c.seq, pt: c.pt });
    const ahead = c.hlc.l - c.pt;
    const ticks = Math.ceil(eps / s.tick);
    // The paper's bound counts one event per node per clock tick; a node with k events in one
    // tick (a coarse clock, a busy node) can legitimately count k times as far.
    const cMax = s.skews.nodes.length * (ticks + 1) * s.perTick;
    if (own(s.flagged, c.node) === undefined && (ahead > eps || c.hlc.c > cMax)) {
      put(s.flagged, c.node, true);
      out.push({
        check: "hlc-bounds",
        message:
          ahead > eps
            ? `${c.node}'s HLC l = ${c.hlc.l} is ${ahead} ms ahead of its physical clock ${c.pt}, past ε = ${Math.round(eps)} ms`
            : `${c.node}'s HLC counter c = ${c.hlc.c} passed N·(ε + 1)${s.perTick > 1 ? `·${s.perTick} (the most events a node had in one clock tick)` : ""} = ${cMax}`,
        t: c.t,
        events: [c.seq],
      });
    }
    return out;
  },
});

export const checks: Check[] = [vectorExact, lamportMonotone, hlcBounds];
