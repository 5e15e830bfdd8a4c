// The three logical clocks, by their textbook rules, and how to compare them. Pure functions
// over plain data, shared by the protocol, the checks, the stage and the export.
//
// - Lamport (1978): a counter; +1 on every event, and max(own, received) + 1 on a receive.
// - Vector clocks (Fidge, Mattern 1988): a counter per node; a node bumps its own entry on
//   every event (local, send and receive alike) and takes the entrywise max on a receive.
//   Entries that are 0 are left out, so a clock names only nodes that have had events.
// - Hybrid logical clocks (Kulkarni, Demirbas et al., 2014): `l`, the largest physical time
//   heard of, and `c`, a counter that orders events with the same `l`. The naive variant is the
//   paper's first, rejected algorithm: no `c`, and `l` bumped by one tick instead.

export type VC = Record<string, number>;
export type Hlc = { l: number; c: number };
export type HlcRule = "paper" | "naive";

/** An entry of a clock: its own property only (a node may be called "toString"). */
const at = (vc: VC, k: string) => (Object.hasOwn(vc, k) ? vc[k]! : 0);

export function vcTick(vc: VC, self: string): VC {
  const out = sortVc(vc);
  Object.defineProperty(out, self, { value: at(vc, self) + 1, enumerable: true, writable: true, configurable: true });
  return sortVc(out);
}

/** A receive: the entrywise max with the message's clock, then this node's own tick. */
export function vcReceive(vc: VC, got: VC, self: string): VC {
  const out: VC = { ...vc };
  for (const k of Object.keys(got)) Object.defineProperty(out, k, { value: Math.max(at(out, k), got[k]!), enumerable: true, writable: true, configurable: true });
  return vcTick(out, self);
}

/** Entries in name order, so that the same clock is always written the same way. */
function sortVc(vc: VC): VC {
  const out: VC = {};
  for (const k of Object.keys(vc).sort()) if (vc[k]! > 0) Object.defineProperty(out, k, { value: vc[k]!, enumerable: true, writable: true, configurable: true });
  return out;
}

export type Order = "before" | "after" | "equal" | "concurrent";

/** How two vector clocks compare: a → b exactly when a ≤ b entrywise and a ≠ b. */
export function vcCompare(a: VC, b: VC): Order {
  let le = true;
  let ge = true;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = at(a, k);
    const y = at(b, k);
    if (x > y) le = false;
    if (x < y) ge = false;
  }
  return le && ge ? "equal" : le ? "before" : ge ? "after" : "concurrent";
}

/** A local or send event. `pt`: the physical clock's reading; `tick`: its resolution in ms. */
export function hlcLocal(h: Hlc, pt: number, rule: HlcRule, tick: number): Hlc {
  if (rule === "naive") return { l: Math.max(h.l + tick, pt), c: 0 };
  const l = Math.max(h.l, pt);
  return { l, c: l === h.l ? h.c + 1 : 0 };
}

/** A receive of a message stamped `m`. */
export function hlcReceive(h: Hlc, m: Hlc, pt: number, rule: HlcRule, tick: number): Hlc {
  if (rule === "naive") return { l: Math.max(h.l + tick, m.l + tick, pt), c: 0 };
  const l = Math.max(h.l, m.l, pt);
  const c = l === h.l && l === m.l ? Math.max(h.c, m.c) + 1 : l === h.l ? h.c + 1 : l === m.l ? m.c + 1 : 0;
  return { l, c };
}

/** HLC order: by l, then c. Negative when a is earlier. */
export function hlcCompare(a: Hlc, b: Hlc): number {
  return a.l !== b.l ? a.l - b.l : a.c - b.c;
}

/**
 * The last-writer-wins order of two writes, stamped by their writer's physical clock (`pt`) or
 * its HLC: positive when `a` wins. Ties go to the writer with the greater name, so every
 * replica keeps the same one.
 */
export function stampCompare(a: { pt: number; hlc: Hlc; by: string }, b: { pt: number; hlc: Hlc; by: string }, order: "physical" | "hlc"): number {
  const d = order === "physical" ? a.pt - b.pt : hlcCompare(a.hlc, b.hlc);
  return d !== 0 ? d : a.by < b.by ? -1 : a.by > b.by ? 1 : 0;
}

/** A physical clock read at its resolution: the local time, floored to whole ticks. */
export function readClock(now: number, tick: number): number {
  return Math.floor(now / tick) * tick;
}

/** `(l, c)`; "—" before a node's first event (l = −∞). */
export const hlcText = (h: Hlc) => (Number.isFinite(h.l) ? `(${h.l}, ${h.c})` : "—");
export const vcText = (vc: VC) => `[${Object.entries(vc).map(([k, n]) => `${k}:${n}`).join(" ")}]`;
