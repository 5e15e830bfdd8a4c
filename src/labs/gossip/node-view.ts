// How a gossip node reads under its circle: its total, or why it has none.
import type { NodeViewOf } from "../../sim/types.ts";
import type { GossipView } from "./protocol.ts";

export function gossipLabel(view: NodeViewOf<GossipView>): string {
  return view.status === "up" ? `total ${view.total}` : view.status;
}
