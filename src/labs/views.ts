// The page's half of each lab: its panel and how its nodes are labelled in the network view.
// Kept apart from the registry (index.ts) so the CLI and the workers never load React.

import type { ComponentType } from "react";
import type { TraceEvent } from "../sim/trace.ts";
import type { NodeView } from "../sim/types.ts";
import type { ActionAt } from "../scenario/types.ts";
import { GossipView, gossipLabel } from "./gossip/view.tsx";
import { RaftView, raftLabel, raftTone } from "./raft/view.tsx";

export interface LabViewProps {
  nodes: { id: string; view: NodeView }[];
  time: number;
  /** The lab's params as they stand now (after any `set params.*` so far). */
  params: Record<string, unknown>;
  /** Record an action at the current time (a client command, a rule switch). */
  act(a: ActionAt): void;
  /** Trace events in memory, for panels that show history (violations, seeks). */
  events: readonly TraceEvent[];
  /** Seek the playground to a time. */
  seek(t: number): void;
}

export interface LabUi {
  View: ComponentType<LabViewProps>;
  /** One line under a node in the network view. */
  label(view: NodeView): string;
  /** A colour key for the node (the view maps known keys to colours). */
  tone?(view: NodeView): string | undefined;
}

export const labViews: Record<string, LabUi> = {
  gossip: { View: GossipView, label: gossipLabel },
  raft: { View: RaftView, label: raftLabel, tone: raftTone },
};
