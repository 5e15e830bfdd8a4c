// How a ring node reads under its shape: a server's keys, a client's writes.
import type { NodeViewOf } from "../../sim/types.ts";
import type { ClientView, ServerView } from "./protocol.ts";

export function ringLabel(view: NodeViewOf<ServerView | ClientView>): string {
  if (view.status !== "up") return view.status;
  if (view.role === "server") return `${view.keys} keys${view.hinted > 0 ? ` +${view.hinted} hinted` : ""}`;
  return `${view.acked}/${view.writes} writes${view.refused > 0 ? `, ${view.refused} refused` : ""}`;
}
