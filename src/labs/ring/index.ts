import { defineLab } from "../define.ts";
import { addServer, removeServer } from "./actions.ts";
import { checks } from "./checks.ts";
import { keysPerServer, ledgerStep, lostWrites, newLedger, type Ledger } from "./ledger.ts";
import { lesson } from "./lesson.ts";
import { ringLabel } from "./node-view.ts";
import { ringParams } from "./params.ts";
import { ringProtocols, type ClientView, type ServerView } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";

export const ringLab = defineLab<ServerView | ClientView>({
  id: "ring",
  title: "Ring",
  summary: "Where keys live: consistent hashing against the alternatives, what moves when servers come and go, and what a partition does to a quorum.",
  inProduction:
    "In production: Amazon's Dynamo and DynamoDB, Apache Cassandra's token ring, Riak; jump hash in Google's services, rendezvous hashing in load balancers.",
  protocol: ringProtocols,
  params: ringParams,
  // Okabe–Ito, as the other labs.
  messageKinds: [
    { kind: "put", light: "#0072b2", dark: "#3d9be0" },
    { kind: "put-ok", light: "#56b4e9", dark: "#56b4e9" },
    { kind: "get", light: "#009e73", dark: "#009e73" },
    { kind: "got", light: "#7fc97f", dark: "#8fd18f" },
    { kind: "migrate", light: "#d55e00", dark: "#e07a2e" },
    { kind: "migrate-ok", light: "#a6611a", dark: "#dfc27d" },
    { kind: "handoff", light: "#cc79a7", dark: "#cc79a7" },
    { kind: "handoff-ok", light: "#4d4d4d", dark: "#d0d0d0" },
    { kind: "stale", light: "#b2182b", dark: "#ff8a80" },
  ],
  label: ringLabel,
  actions: [addServer, removeServer],
  checks,
  reducers: [{ id: "ledger", init: (ctx) => newLedger(ctx.scenario, ctx.params), step: (l: Ledger, e) => void ledgerStep(l, e) }],
  summarize(series) {
    const l = series.ledger as Ledger;
    const load = keysPerServer(l);
    return {
      keysPerServer: load.perServer,
      loadStdDevPct: load.stdDevPct,
      moves: l.moves.map(({ change, movedKeys, totalKeys }) => ({ change, movedKeys, totalKeys })),
      lostWrites: lostWrites(l).length,
      staleReads: l.staleReads,
      refusedWrites: l.refusedWrites,
    };
  },
  scenarios,
  lesson,
});
