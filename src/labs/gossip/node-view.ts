// How a gossip node reads under its circle: its total, or why it has none.
import type { NodeView } from "../../sim/types.ts";

export function gossipLabel(view: NodeView): string {
  return view.status === "up" ? `total ${String(view.total ?? 0)}` : view.status;
}
