// The resilience lab's own actions: a downstream fails (hard down, failing a share of its calls,
// or slow) and recovers, at once or slowly (its capacity ramping up). `fail` is recorded in the
// trace as `fault`. Each writes the `faults` param, as a fault injector's configuration
// would, so the downstream reads its fault from the next call on.

import * as v from "valibot";
import { defineAction, type ActionRun } from "../../scenario/actions.ts";
import type { Fault } from "./params.ts";

function faults(run: ActionRun): Record<string, Fault> {
  return { ...((run.params().faults as Record<string, Fault> | undefined) ?? {}) };
}

const refused = (run: ActionRun, kind: string, node: string): boolean => {
  if (run.role(node) === "downstream") return false;
  run.record(`${kind}-refused`, { node, reason: "not a downstream" });
  return true;
};

export const fail = defineAction<{ t: number; do: "fail"; node: string; mode: Fault["mode"]; errorRate?: number; latency?: number }>({
  do: "fail",
  // The engine's own "fail" is a node whose handler threw: recorded apart from it.
  traceAs: "fault",
  fields: {
    node: v.string(),
    mode: v.picklist(["down", "errors", "slow"]),
    errorRate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    latency: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000))),
  },
  names: (a) => [a.node],
  apply(a, run) {
    if (refused(run, "fail", a.node)) return;
    const f: Fault = { mode: a.mode, errorRate: a.errorRate ?? 0.5, latency: a.latency ?? 400, since: 0, over: 0 };
    run.set("params.faults", { ...faults(run), [a.node]: f });
  },
  label: (a) =>
    a.mode === "down" ? `${a.node} goes down` : a.mode === "errors" ? `${a.node} fails ${Math.round((a.errorRate ?? 0.5) * 100)} % of calls` : `${a.node} slows by ${a.latency ?? 400} ms`,
});

export const recover = defineAction<{ t: number; do: "recover"; node: string; over?: number }>({
  do: "recover",
  fields: {
    node: v.string(),
    /** ms over which it takes on its full capacity again (a cold cache, a JIT warming up); absent or 0: at once. */
    over: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  },
  names: (a) => [a.node],
  apply(a, run) {
    if (refused(run, "recover", a.node)) return;
    const f = faults(run);
    if (a.over !== undefined && a.over > 0) f[a.node] = { mode: "recovering", errorRate: 0.5, latency: 400, since: run.now, over: a.over };
    else delete f[a.node];
    run.set("params.faults", f);
  },
  label: (a) => (a.over !== undefined && a.over > 0 ? `${a.node} recovers slowly, over ${a.over / 1000} s` : `${a.node} recovers`),
});
