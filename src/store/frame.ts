// The frame: what the views draw at the current time, computed by the store from the engine
// and the trace. Plain data, so the store imports nothing from the views and the views never
// reach into the engine or a protocol.

export interface NetNode {
  id: string;
  /** Position in the unit square. */
  x: number;
  y: number;
  status: "up" | "down" | "failed";
  /** Partition group (connected component); equal numbers can talk. */
  group: number;
  /** The lab's one-line status for the node, e.g. "leader · term 3" or "total 12". */
  label: string;
  /** A colour key the lab chooses for the node's state (e.g. "leader", "follower"); the lab declares its colours. */
  tone?: string;
  /** The node's role in a lab with several (e.g. "client", "server"). */
  role?: string;
  /** How the view tells roles apart: the lab's first role is a circle, the next a square, then a diamond, a hexagon. */
  shape?: NodeShape;
}

export type { KindColour, ToneColour } from "../labs/types.ts";

export type NodeShape = "circle" | "square" | "diamond" | "hexagon";


/** One copy of one message, as the view draws it at the current time. */
export interface FlyingMessage {
  /** `${id}` or `${id}.1` for a duplicate's second copy. */
  key: string;
  id: number;
  from: string;
  to: string;
  kind: string;
  sentAt: number;
  /** When it arrives; equal to sentAt for one lost at send (it never left). */
  arriveAt: number;
  /** flying: on its way; falling: dropped (lost, partitioned, crashed) and fading out. */
  state: "flying" | "falling";
  /** For falling messages: when and why it dropped. */
  dropAt?: number;
  reason?: string;
  /** For falling messages: when the fall ends and it is no longer drawn (the view fades it out by then). */
  fallEnd?: number;
  /** The message itself (shown when clicked). */
  msg: unknown;
}
