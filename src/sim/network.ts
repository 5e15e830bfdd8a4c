// The network model: what happens to a message between `send` and `deliver`.
//
// One documented options object (NetworkSpec in scenario/types.ts) and one random stream
// ("network") of its own, so a protocol drawing more or fewer random numbers never changes
// which messages the network loses. Every send draws the same number of values in the same
// order (loss, duplicate, then one delay per copy), so changing `loss` from 0 to 0.1 changes
// which messages are lost, not the delays of the ones that arrive.

import type { NetworkSpec } from "../scenario/types.ts";
import { nextFloat, type RngState } from "./prng.ts";

export type DropReason = "partition" | "loss" | "crashed" | "failed" | "unknown-node";

export interface NetworkState {
  spec: NetworkSpec;
  rng: RngState;
  /** Last scheduled arrival per directed link "from>to", for FIFO links (reorder off). */
  lastArrival: Record<string, number>;
}

/** Decide a send's fate: the arrival time of each copy, or the reason it is lost. */
export function route(
  net: NetworkState,
  from: string,
  to: string,
  t: number,
): { drop: DropReason } | { arrivals: number[] } {
  const lossDraw = nextFloat(net.rng);
  const dupDraw = nextFloat(net.rng);
  if (lossDraw < net.spec.loss) return { drop: "loss" };
  const copies = dupDraw < net.spec.duplicate ? 2 : 1;
  const [lo, hi] = linkLatency(net.spec, from, to);
  const arrivals: number[] = [];
  const link = from + ">" + to;
  for (let c = 0; c < copies; c++) {
    let at = t + lo + nextFloat(net.rng) * (hi - lo);
    if (!net.spec.reorder) {
      const last = net.lastArrival[link];
      if (last !== undefined && last > at) at = last;
      net.lastArrival[link] = at;
    }
    arrivals.push(at);
  }
  return { arrivals };
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
