// The registry of labs. The CLI, the workers, the conformance test and the page all read it:
// adding a lab means adding it here (and its view to views.ts).

import { clocksLab } from "./clocks/index.ts";
import { gossipLab } from "./gossip/index.ts";
import { raftLab } from "./raft/index.ts";
import { resilienceLab } from "./resilience/index.ts";
import { ringLab } from "./ring/index.ts";
import type { RunConfig } from "../runtime/types.ts";
import { parseScenario, type LoadResult } from "../scenario/schema.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Lab } from "./types.ts";

export const labs: readonly Lab[] = [gossipLab, raftLab, ringLab, clocksLab, resilienceLab];

export function labById(id: string): Lab | undefined {
  return labs.find((l) => l.id === id);
}

/** Validate a scenario against the core schema and its lab's params (defaults filled in). */
export function loadScenario(input: unknown): LoadResult {
  return parseScenario(input, labs);
}

/** What a host needs to run a validated scenario. */
export function runConfig(scenario: Scenario, params: Record<string, unknown>): RunConfig {
  const lab = labById(scenario.lab);
  if (lab === undefined) throw new Error(`unknown lab "${scenario.lab}"`);
  return { scenario, labId: lab.id, protocol: lab.protocol, params, actions: lab.actions ?? [] };
}
