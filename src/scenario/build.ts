// Helpers for writing scenarios in code (gallery, tests): defaults filled in, nodes laid out.

import { circleLayout } from "../geometry/topology.ts";
import { SCENARIO_VERSION, type Action, type NetworkSpec, type NodeSpec, type Scenario } from "./types.ts";

export const DEFAULT_NETWORK: NetworkSpec = { latency: [20, 60], loss: 0, duplicate: 0, reorder: false };

/** n1..nN on the default circle. */
export function ringOfNodes(n: number): NodeSpec[] {
  return circleLayout(n).map((p, i) => ({ id: `n${i + 1}`, x: p.x, y: p.y }));
}

export interface ScenarioDraft {
  lab: string;
  name?: string;
  title?: string;
  seed?: number;
  until?: number;
  nodes?: number | NodeSpec[];
  network?: Partial<NetworkSpec>;
  params?: Record<string, unknown>;
  timeline?: Action[];
}

export function scenario(d: ScenarioDraft): Scenario {
  const s: Scenario = {
    v: SCENARIO_VERSION,
    lab: d.lab,
    seed: d.seed ?? 1,
    until: d.until ?? 30_000,
    nodes: typeof d.nodes === "object" ? d.nodes : ringOfNodes(d.nodes ?? 5),
    network: { ...DEFAULT_NETWORK, ...d.network },
    params: d.params ?? {},
    timeline: d.timeline ?? [],
  };
  if (d.name !== undefined) s.name = d.name;
  if (d.title !== undefined) s.title = d.title;
  return s;
}
