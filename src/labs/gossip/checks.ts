// Checks for the gossip lab, followed event by event.
//
// - No invention: a node never reports a total above the increments the cluster accepted.
// - Monotonic: while a node stays up, its total never goes down (merging by max).
// - Convergence: once the run has been quiet (no faults, no commands) for `quiet` ms, every
//   node that is up reports the same total. This is a liveness check, so it only applies
//   when the scenario leaves that quiet time at its end.
//
// Each keeps plain data bounded by the cluster (a count, and each node's last total), never the
// events themselves (see labs/checking.ts).

import { defineCheck, own, put, type Check } from "../checking.ts";

const QUIET_MS = 5_000;

function incOf(cmd: unknown): number {
  if (cmd === "inc") return 1;
  if (typeof cmd === "object" && cmd !== null && "inc" in cmd) return Math.max(0, Math.floor(Number(cmd.inc) || 0));
  return 0;
}

/** A node's total as a value event gave it: as a number to compare, as written to show. */
interface Total {
  total: number;
  text: string;
  seq: number;
}

function totalOf(e: { total?: unknown; seq: number }): Total {
  return { total: Number(e.total), text: `${e.total}`, seq: e.seq };
}

interface NoInventionState {
  /** Increments accepted so far. */
  made: number;
  /** The seq of the last accepted command (-1 before the first). */
  lastCommand: number;
}

export const noInvention: Check<NoInventionState> = defineCheck<NoInventionState>({
  id: "no-invention",
  title: "No node reports more increments than were made",
  kinds: ["command", "value"],
  init: () => ({ made: 0, lastCommand: -1 }),
  step(s, e) {
    if (e.kind === "command" && e.refused === undefined) {
      s.made += incOf(e.cmd);
      s.lastCommand = e.seq;
    } else if (e.kind === "value" && Number(e.total) > s.made) {
      return [
        {
          check: "no-invention",
          message: `${e.node} reports ${e.total} but only ${s.made} increments were made`,
          t: e.t,
          events: s.lastCommand >= 0 ? [s.lastCommand, e.seq] : [e.seq],
        },
      ];
    }
  },
});

interface MonotonicState {
  /** Each running node's last total since it last (re)started. */
  last: Record<string, Total>;
}

export const monotonic: Check<MonotonicState> = defineCheck<MonotonicState>({
  id: "monotonic",
  title: "A running node's total never goes down",
  kinds: ["crash", "restart", "value"],
  init: () => ({ last: {} }),
  step(s, e) {
    if (e.node === undefined) return;
    const node = String(e.node);
    if (e.kind === "crash" || e.kind === "restart") delete s.last[node];
    if (e.kind !== "value") return;
    const prev = own(s.last, node);
    const now = totalOf(e);
    put(s.last, node, now);
    if (prev !== undefined && now.total < prev.total) {
      return [
        {
          check: "monotonic",
          message: `${e.node}'s total fell from ${prev.text} to ${now.text}`,
          t: e.t,
          events: [prev.seq, e.seq],
        },
      ];
    }
  },
});

const DISTURBANCES = new Set(["command", "crash", "restart", "partition", "heal", "move", "set", "add-node", "remove-node"]);

interface ConvergenceState {
  /** The time of the last disturbance in the trace (0 before any). */
  lastDisturbance: number;
  /** The time of the scenario's last scripted action (-Infinity if none). */
  lastAction: number;
  /** Whether the scenario's network starts losing every message. */
  lossy: boolean;
  /** Whether a partition stands (a partition since the last heal). */
  partitioned: boolean;
  /** The nodes that have reported a total, in the order of their first report. */
  nodes: string[];
  /** Each of those nodes' last total. */
  totals: Record<string, Total>;
  /** The nodes down (crashed, failed or removed, not restarted since). */
  down: Record<string, true>;
}

/**
 * Finds nothing as the run goes (it cannot know a disagreement will last), only at its end:
 * `finish(state, end)` asks whether the nodes agree after `QUIET_MS` of quiet before `end`. The
 * CLI and `run` call it once, at the scenario's `until`; the page, which shows the run as it
 * goes, shows only what steps find, so never this check's verdict on a run still going.
 */
export const convergence: Check<ConvergenceState> = defineCheck<ConvergenceState>({
  id: "convergence",
  title: "After a quiet spell, every running node agrees on the total",
  kinds: [...DISTURBANCES, "value", "fail"],
  init: ({ scenario }) => ({
    lastDisturbance: 0,
    lastAction: scenario.timeline.reduce((m, a) => Math.max(m, a.t), -Infinity),
    lossy: scenario.network.loss >= 1,
    partitioned: false,
    nodes: [],
    totals: {},
    down: {},
  }),
  step(s, e) {
    if (DISTURBANCES.has(e.kind)) s.lastDisturbance = e.t;
    if (e.kind === "partition") s.partitioned = true;
    else if (e.kind === "heal") s.partitioned = false;
    if (e.node === undefined) return;
    const node = String(e.node);
    if (e.kind === "value") {
      if (own(s.totals, node) === undefined) s.nodes.push(node);
      put(s.totals, node, totalOf(e));
    }
    // A node that left the run is as out of it as a crashed one, for good.
    if ((e.kind === "crash" || e.kind === "fail" || e.kind === "remove-node") && e.noop !== true) put(s.down, node, true);
    if (e.kind === "restart") delete s.down[node];
  },
  finish(s, end) {
    // Scripted actions count up to the end: one due later has not happened yet.
    const lastDisturbance = Math.max(s.lastDisturbance, Math.min(s.lastAction, end));
    if (s.lossy || s.partitioned || end - lastDisturbance < QUIET_MS) return;
    const live = s.nodes.filter((n) => own(s.down, n) === undefined).map((n) => [n, own(s.totals, n)!] as const);
    if (new Set(live.map(([, v]) => v.total)).size <= 1) return;
    return [
      {
        check: "convergence",
        message: `${QUIET_MS / 1000} s after the last disturbance the nodes still disagree: ${live.map(([n, v]) => `${n}=${v.text}`).join(", ")}`,
        t: end,
        events: live.map(([, v]) => v.seq),
      },
    ];
  },
});

export const checks: Check[] = [noInvention, monotonic, convergence];
