import { defineLab } from "../define.ts";
import { checks } from "./checks.ts";
import { lesson } from "./lesson.ts";
import { clocksLabel } from "./node-view.ts";
import { clocksParams } from "./params.ts";
import { clocks, type ClocksView } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";
import { lostWrites, spacetime, type Spacetime } from "./series.ts";
import { shivizLog } from "./shiviz.ts";

export const clocksLab = defineLab<ClocksView>({
  id: "clocks",
  title: "Clocks",
  summary: "Physical clocks lie; Lamport, vector and hybrid logical clocks don't: skew a clock mid-run and watch causality hold while wall-clock order breaks.",
  inProduction:
    "In production: hybrid logical clocks in CockroachDB, YugabyteDB and MongoDB; vector clocks (as version vectors) in Riak and Dynamo; TrueTime's intervals in Spanner.",
  protocol: clocks,
  params: clocksParams,
  // Okabe–Ito, as the other labs.
  messageKinds: [
    { kind: "chat", light: "#0072b2", dark: "#3d9be0" },
    { kind: "write", light: "#d55e00", dark: "#e07a2e" },
  ],
  label: clocksLabel,
  checks,
  reducers: [spacetime],
  summarize(series) {
    const s = series.spacetime as Spacetime;
    return {
      clockEvents: s.events.length,
      clockAnomalies: s.anomalies,
      lostWrites: { physical: lostWrites(s.events, "physical").length, hlc: lostWrites(s.events, "hlc").length },
      maxHlcAheadMs: s.events.reduce((m, e) => Math.max(m, e.hlc.l - e.pt), 0),
    };
  },
  shiviz: (series) => shivizLog((series.spacetime as Spacetime).events),
  scenarios,
  lesson,
});
