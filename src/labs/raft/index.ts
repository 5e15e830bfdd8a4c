import { defineLab } from "../define.ts";
import { checks } from "./checks.ts";
import { lesson } from "./lesson.ts";
import { raftLabel, raftTone } from "./node-view.ts";
import { raftParams } from "./params.ts";
import { MESSAGE_KINDS, raft } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";

export const raftLab = defineLab({
  id: "raft",
  title: "Raft",
  summary: "Leader election and log replication: crash the leader, cut the network, switch off a safety rule and watch what breaks.",
  inProduction: "In production: etcd's raft library (under Kubernetes, CockroachDB and others), Consul, Baidu's BRaft and Apache Kudu's consensus.",
  protocol: raft,
  params: raftParams,
  nodeCount: [3, 9],
  // Okabe–Ito: distinguishable under the common colour-vision deficiencies; dark mode lightens
  // the two that would vanish against a dark background.
  messageKinds: [
    { kind: MESSAGE_KINDS[0], light: "#0072b2", dark: "#3d9be0" },
    { kind: MESSAGE_KINDS[1], light: "#e69f00", dark: "#e69f00" },
    { kind: MESSAGE_KINDS[2], light: "#009e73", dark: "#009e73" },
    { kind: MESSAGE_KINDS[3], light: "#cc79a7", dark: "#cc79a7" },
    { kind: MESSAGE_KINDS[4], light: "#56b4e9", dark: "#56b4e9" },
    { kind: MESSAGE_KINDS[5], light: "#d55e00", dark: "#d55e00" },
    { kind: MESSAGE_KINDS[6], light: "#f0e442", dark: "#f0e442" },
    { kind: MESSAGE_KINDS[7], light: "#4d4d4d", dark: "#d0d0d0" },
  ],
  label: raftLabel,
  tone: raftTone,
  tones: {
    leader: { fill: "#fbe3a6", stroke: "#8a5a00", darkFill: "#5a4515", darkStroke: "#f0b44c" },
    candidate: { fill: "#d6ebfa", stroke: "#0b5c91", darkFill: "#17374f", darkStroke: "#7cc4f5" },
  },
  checks,
  scenarios,
  lesson,
});
