// Checks for the gossip lab, over a finished trace.
//
// - No invention: a node never reports a total above the increments the cluster accepted.
// - Monotonic: while a node stays up, its total never goes down (merging by max).
// - Convergence: once the run has been quiet (no faults, no commands) for `quiet` ms, every
//   node that is up reports the same total. This is a liveness check, so it only applies
//   when the scenario leaves that quiet time at its end.

import type { Check, Violation } from "../types.ts";
import type { TraceEvent } from "../../sim/trace.ts";

const QUIET_MS = 5_000;

function incOf(cmd: unknown): number {
  if (cmd === "inc") return 1;
  if (typeof cmd === "object" && cmd !== null && "inc" in cmd) return Math.max(0, Math.floor(Number(cmd.inc) || 0));
  return 0;
}

export const noInvention: Check = {
  id: "no-invention",
  title: "No node reports more increments than were made",
  run(trace) {
    const out: Violation[] = [];
    let made = 0;
    let lastCommand = -1;
    for (const e of trace) {
      if (e.kind === "command" && e.refused === undefined) {
        made += incOf(e.cmd);
        lastCommand = e.seq;
      } else if (e.kind === "value" && Number(e.total) > made) {
        out.push({
          check: "no-invention",
          message: `${e.node} reports ${e.total} but only ${made} increments were made`,
          t: e.t,
          events: lastCommand >= 0 ? [lastCommand, e.seq] : [e.seq],
        });
      }
    }
    return out;
  },
};

export const monotonic: Check = {
  id: "monotonic",
  title: "A running node's total never goes down",
  run(trace) {
    const out: Violation[] = [];
    const last = new Map<string, TraceEvent>();
    for (const e of trace) {
      if ((e.kind === "crash" || e.kind === "restart") && e.node !== undefined) last.delete(e.node);
      if (e.kind !== "value" || e.node === undefined) continue;
      const prev = last.get(e.node);
      if (prev !== undefined && Number(e.total) < Number(prev.total)) {
        out.push({
          check: "monotonic",
          message: `${e.node}'s total fell from ${prev.total} to ${e.total}`,
          t: e.t,
          events: [prev.seq, e.seq],
        });
      }
      last.set(e.node, e);
    }
    return out;
  },
};

export const convergence: Check = {
  id: "convergence",
  title: "After a quiet spell, every running node agrees on the total",
  run(trace, scenario) {
    let lastDisturbance = 0;
    for (const e of trace) {
      if (["command", "crash", "restart", "partition", "heal", "move", "set"].includes(e.kind)) lastDisturbance = e.t;
    }
    for (const a of scenario.timeline) lastDisturbance = Math.max(lastDisturbance, Math.min(a.t, scenario.until));
    const lossy = scenario.network.loss >= 1;
    const partitioned = (() => {
      let p = false;
      for (const e of trace) if (e.kind === "partition") p = true; else if (e.kind === "heal") p = false;
      return p;
    })();
    if (lossy || partitioned || scenario.until - lastDisturbance < QUIET_MS) return [];
    const value = new Map<string, TraceEvent>();
    const down = new Set<string>();
    for (const e of trace) {
      if (e.kind === "value" && e.node !== undefined) value.set(e.node, e);
      if ((e.kind === "crash" || e.kind === "fail") && e.node !== undefined) down.add(e.node);
      if (e.kind === "restart" && e.node !== undefined) down.delete(e.node);
    }
    const live = [...value.entries()].filter(([n]) => !down.has(n));
    const totals = new Set(live.map(([, e]) => Number(e.total)));
    if (totals.size <= 1) return [];
    return [
      {
        check: "convergence",
        message: `${QUIET_MS / 1000} s after the last disturbance the nodes still disagree: ${live
          .map(([n, e]) => `${n}=${e.total}`)
          .join(", ")}`,
        t: scenario.until,
        events: live.map(([, e]) => e.seq),
      },
    ];
  },
};

export const checks: Check[] = [noInvention, monotonic, convergence];
