// Per-node clocks. Virtual time is the truth; each node reads it through its own skew:
// an offset, a drift (rate error), and optionally one step at a chosen time — the backward
// jump an NTP correction can make, which is what breaks "timestamps only go up".
// Timers are scheduled in virtual time: skew changes what a node reads, not when it wakes.

import type { ClockSkew } from "../scenario/types.ts";

export function localTime(t: number, skew: ClockSkew | undefined): number {
  if (skew === undefined) return t;
  let local = t + (skew.offset ?? 0) + t * (skew.drift ?? 0);
  if (skew.step !== undefined && t >= skew.step.at) local += skew.step.by;
  return local;
}
