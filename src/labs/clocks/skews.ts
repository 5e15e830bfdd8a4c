// Every node's clock skew as the run stands: the scenario's, then each `set
// nodes.<id>.clock.<field>` the trace records. The checks bound HLC with it, the panel shows it
// and the TrueTime-style interval reads it. Plain data, followed event by event.
import { CLOCK_PATH } from "../../scenario/leaves.ts";
import { own, put } from "../checking.ts";
import type { Scenario, ClockSkew } from "../../scenario/types.ts";
import { localTime } from "../../sim/clock.ts";
import type { TraceEvent } from "../../sim/trace.ts";

export type Skews = { nodes: string[]; clock: Record<string, ClockSkew> };

export function newSkews(scenario: Scenario): Skews {
  const s: Skews = { nodes: [], clock: {} };
  for (const n of scenario.nodes) {
    s.nodes.push(n.id);
    put(s.clock, n.id, n.clock ?? {});
  }
  return s;
}


/** Follow one event; true when it changed a clock. */
export function skewsStep(s: Skews, e: TraceEvent): boolean {
  if (e.kind === "add-node" && typeof e.node === "string" && e.noop === undefined && own(s.clock, e.node) === undefined) {
    s.nodes.push(e.node);
    put(s.clock, e.node, {});
    return false;
  }
  if (e.kind !== "set" || typeof e.path !== "string") return false;
  const m = CLOCK_PATH.exec(e.path);
  if (m === null || own(s.clock, m[1]!) === undefined) return false;
  put(s.clock, m[1]!, { ...own(s.clock, m[1]!), [m[2]!]: e.value });
  return true;
}

/** A node's local clock at virtual time t, as the engine gives it to the node. */
export const localAt = (s: Skews, node: string, t: number) => localTime(t, own(s.clock, node));
