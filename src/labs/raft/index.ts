import * as v from "valibot";
import type { Lab } from "../types.ts";
import { checks } from "./checks.ts";
import { lesson } from "./lesson.ts";
import { MESSAGE_KINDS, raft } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";

const ms = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));

export const raftLab: Lab = {
  id: "raft",
  title: "Raft",
  summary: "Leader election and log replication: crash the leader, cut the network, switch off a safety rule and watch what breaks.",
  inProduction: "In production: etcd's raft library (under Kubernetes, CockroachDB and others), Consul, Baidu's BRaft and Apache Kudu's consensus.",
  protocol: raft,
  params: v.object({
    /** [min, max] ms of the randomized election timeout (§5.2). */
    electionTimeout: v.optional(
      v.pipe(
        v.tuple([ms(1, 60_000), ms(1, 60_000)]),
        v.check(([a, b]) => a <= b, "the minimum must not exceed the maximum"),
      ),
      [150, 300],
    ),
    /** ms between a leader's heartbeats. */
    heartbeat: v.optional(ms(1, 10_000), 50),
    /** Raft's safety rules; each can be switched off to watch what it prevents. */
    rules: v.optional(
      v.object({
        electionRestriction: v.optional(v.boolean(), true),
        currentTermCommit: v.optional(v.boolean(), true),
        persistVote: v.optional(v.boolean(), true),
      }),
      {},
    ),
  }),
  nodeCount: [3, 9],
  messageKinds: MESSAGE_KINDS,
  checks,
  scenarios,
  lesson,
};
