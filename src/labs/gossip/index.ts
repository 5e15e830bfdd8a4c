import * as v from "valibot";
import { defineLab } from "../define.ts";
import { countAll } from "./actions.ts";
import { checks } from "./checks.ts";
import { lesson } from "./lesson.ts";
import { gossip } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";
import { gossipLabel } from "./node-view.ts";
import { agreement } from "./series.ts";

export const gossipLab = defineLab({
  id: "gossip",
  title: "Gossip",
  summary: "A counter spread by gossip: partitions, loss and crashes delay agreement but never corrupt it.",
  inProduction: "In production: Cassandra's gossip of membership and its anti-entropy repair, and Serf, the gossip layer under HashiCorp Consul.",
  protocol: gossip,
  params: v.object({
    /** ms between gossip rounds */
    interval: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(10_000)), 200),
  }),
  label: gossipLabel,
  messageKinds: [{ kind: "gossip", light: "#0072b2", dark: "#3d9be0" }],
  actions: [countAll],
  checks,
  reducers: [agreement],
  scenarios,
  lesson,
});
