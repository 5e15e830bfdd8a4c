// The network model: what happens to a message between `send` and `deliver`.
//
// One documented options object (NetworkSpec in scenario/types.ts) and one random stream
// ("network") of its own, so a protocol drawing more or fewer random numbers never changes
// which messages the network loses. Every send draws the same number of values in the same
// order (loss, duplicate, then one delay per copy), so changing `loss` from 0 to 0.1 changes
// which messages are lost, not the delays of the ones that arrive.

import type { NetworkSpec } from "../scenario/types.ts";
import { nextFloat, type RngState } from "./prng.ts";

export type DropReason = "partition" | "loss" | "crashed" | "failed" | "removed" | "unknown-node";

export interface NetworkState {
  spec: NetworkSpec;
  rng: RngState;
  /** Last scheduled arrival per directed link (from * n + to), for FIFO links (reorder off). */
  lastArrival: number[];
}

export function newNetwork(spec: NetworkSpec, rng: RngState, nodes: number): NetworkState {
  return { spec, rng, lastArrival: new Array<number>(nodes * nodes).fill(0) };
}

/** The FIFO bookkeeping for one more node (a node joined): each link keeps its last arrival. */
export function growNetwork(net: NetworkState, nodes: number): void {
  const n = nodes - 1;
  const next = new Array<number>(nodes * nodes).fill(0);
  for (let f = 0; f < n; f++) for (let t = 0; t < n; t++) next[f * nodes + t] = net.lastArrival[f * n + t]!;
  net.lastArrival = next;
}

/**
 * Decide a send's fate: writes the arrival time of each copy into `arrivals` and returns how
 * many there are (1, or 2 when duplicated), or 0 when the message is lost. `from` and `to`
 * are node indices; `ids` names them for per-link latencies.
 */
export function route(net: NetworkState, from: number, to: number, ids: readonly string[], t: number, arrivals: number[]): number {
  const lossDraw = nextFloat(net.rng);
  const dupDraw = nextFloat(net.rng);
  if (lossDraw < net.spec.loss) return 0;
  const copies = dupDraw < net.spec.duplicate ? 2 : 1;
  const [lo, hi] = net.spec.links === undefined ? net.spec.latency : linkLatency(net.spec, ids[from]!, ids[to]!);
  const link = from * ids.length + to;
  for (let c = 0; c < copies; c++) {
    let at = t + lo + nextFloat(net.rng) * (hi - lo);
    if (!net.spec.reorder) {
      const last = net.lastArrival[link]!;
      if (last > at) at = last;
      net.lastArrival[link] = at;
    }
    arrivals[c] = at;
  }
  return copies;
}

export function linkLatency(spec: NetworkSpec, from: string, to: string): [number, number] {
  if (spec.links !== undefined) {
    for (const l of spec.links) {
      if ((l.a === from && l.b === to) || (l.a === to && l.b === from)) return l.latency;
    }
  }
  return spec.latency;
}

/**
 * The least delay any message can have. The worker host relies on it (conservative
 * lookahead): events at different nodes less than this apart cannot affect each other.
 */
export function minLatency(spec: NetworkSpec): number {
  let min = spec.latency[0];
  for (const l of spec.links ?? []) if (l.latency[0] < min) min = l.latency[0];
  return min;
}
