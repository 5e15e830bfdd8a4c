// How a resilience node reads under its shape: a client's answered and failed operations, the
// front's queue and breaker, the downstream's work in hand.
import type { NodeViewOf } from "../../sim/types.ts";
import type { ResilienceNodeView } from "./protocol.ts";

export function resilienceLabel(view: NodeViewOf<ResilienceNodeView>): string {
  if (view.status !== "up") return view.status;
  if (view.role === "client") return `${view.ok} ok · ${view.failed} failed`;
  if (view.role === "front") return `queue ${view.queue} · ${view.breaker.state}`;
  return `${view.busy} busy · ${view.waiting} waiting`;
}

export function resilienceTone(view: NodeViewOf<ResilienceNodeView>): string | undefined {
  return view.status === "up" && view.role === "front" && view.breaker.state !== "closed" ? view.breaker.state : undefined;
}
