// The gossip lab's series: how far apart the nodes' totals are over the whole run, folded from
// the trace as it arrives (a reducer, labs/checking.ts) — the increments made so far, and the
// lowest and highest total a running node reports. Bounded: past MAX_POINTS, every other point
// is dropped, so an hour-long run draws as well as a minute.

import type { Reducer } from "../types.ts";
import { incrementOf } from "./protocol.ts";

export const MAX_POINTS = 1_200;

export interface AgreementPoint {
  t: number;
  /** Increments the cluster accepted so far. */
  made: number;
  /** Lowest and highest total among the nodes that are up (null when none is). */
  lo: number | null;
  hi: number | null;
}

export interface Agreement {
  made: number;
  /** The latest total of each node that is up. */
  totals: Record<string, number>;
  points: AgreementPoint[];
}

function point(s: Agreement, t: number): AgreementPoint {
  const vals = Object.values(s.totals);
  return { t, made: s.made, lo: vals.length === 0 ? null : Math.min(...vals), hi: vals.length === 0 ? null : Math.max(...vals) };
}

export const agreement: Reducer<Agreement> = {
  id: "agreement",
  init: () => ({ made: 0, totals: {}, points: [] }),
  step(s, e) {
    const node = typeof e.node === "string" ? e.node : "";
    if (e.kind === "command" && e.refused === undefined) s.made += incrementOf(e.cmd);
    else if (e.kind === "value") s.totals[node] = Number(e.total);
    else if (e.kind === "crash" || e.kind === "fail") delete s.totals[node];
    else return;
    const p = point(s, e.t);
    const last = s.points[s.points.length - 1];
    if (last !== undefined && last.t === p.t) s.points[s.points.length - 1] = p;
    else if (last === undefined || last.made !== p.made || last.lo !== p.lo || last.hi !== p.hi) s.points.push(p);
    if (s.points.length > MAX_POINTS) s.points = s.points.filter((_, k) => k % 2 === 0 || k === s.points.length - 1);
  },
};
