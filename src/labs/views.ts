// The page's half of each lab: its panel and its own stage. Kept apart from the registry
// (index.ts) so the CLI, the workers and the store never load React; tests/layers.test.ts
// checks that every lab has its entry here.

import type { ClocksView as ClocksNodeView } from "./clocks/protocol.ts";
import { ClocksStage } from "./clocks/stage.tsx";
import { ClocksView } from "./clocks/view.tsx";
import { AgreementStage } from "./gossip/stage.tsx";
import { GossipView } from "./gossip/view.tsx";
import { RaftView } from "./raft/view.tsx";
import type { ClientView, ServerView } from "./ring/protocol.ts";
import { RingStage } from "./ring/stage.tsx";
import { RingView } from "./ring/view.tsx";
import type { GossipView as GossipNodeView } from "./gossip/protocol.ts";
import type { ResilienceNodeView } from "./resilience/protocol.ts";
import { ResilienceStage } from "./resilience/stage.tsx";
import { ResilienceView } from "./resilience/view.tsx";
import { labUi, type LabUi } from "./ui-types.ts";

export type { LabStageProps, LabUi, LabViewProps } from "./ui-types.ts";

export const labViews: Record<string, LabUi> = {
  gossip: labUi<GossipNodeView>({ View: GossipView, stage: { title: "Agreement", Stage: AgreementStage } }),
  raft: { View: RaftView },
  ring: labUi<ServerView | ClientView>({ View: RingView, stage: { title: "Ring", Stage: RingStage } }),
  clocks: labUi<ClocksNodeView>({ View: ClocksView, stage: { title: "Space-time", Stage: ClocksStage, opens: "stage" } }),
  resilience: labUi<ResilienceNodeView>({ View: ResilienceView, stage: { title: "Breaker", Stage: ResilienceStage, opens: "stage" } }),
};
