// How a clocks node reads under its circle: its Lamport and HLC, or why it has none.
import type { NodeViewOf } from "../../sim/types.ts";
import { hlcText } from "./clocks.ts";
import type { ClocksView } from "./protocol.ts";

export function clocksLabel(view: NodeViewOf<ClocksView>): string {
  return view.status === "up" ? `L ${view.lamport} · HLC ${hlcText(view.hlc)}` : view.status;
}
