// What the network view draws, as plain data: computed from the props (and a node being
// dragged) apart from the drawing, like a lab's view computes its layout apart from D3.
// The drawing (draw.ts) only joins the nodes, links and hulls to SVG elements and hands the
// messages, positions and all, to the canvas that paints them (canvas.ts).

import { componentsOf } from "../../geometry/topology.ts";
import { flightLine, HULL_PAD, hullPointsOf, NODE_RADIUS, spotOnLine, toView, toViewLength, hullPath, type FlightLine, type Point } from "./geometry.ts";
import { placeLabels, type LabelPlace } from "./labels.ts";
import { shapeOf, shapeReach } from "./shapes.ts";
import type { FlyingMessage, KindColour, NetNode, NodeShape } from "../../store/frame.ts";

export interface SceneInput {
  nodes: readonly NetNode[];
  reach: number;
  time: number;
  messages: readonly FlyingMessage[];
  /** The lab's message kinds, in legend order. */
  kinds: readonly KindColour[];
  reducedMotion: boolean;
  selected: string | null;
  /** How much text is counter-scaled on screen (NetworkView's --sb-net-k); labels are placed for it. */
  textScale?: number;
  /** A node held somewhere other than its `x, y`: being dragged, or just dropped. */
  moving?: { id: string; x: number; y: number; dragging: boolean } | null;
}

export interface SceneNode {
  node: NetNode;
  /** Centre in view coordinates. */
  x: number;
  y: number;
  /** Group after any drag preview. */
  group: number;
  selected: boolean;
  dragging: boolean;
  /** Its body's shape (the lab's NetNode.shape; circle by default). */
  shape: NodeShape;
  ariaLabel: string;
  /** Where its id and label go, clear of the other nodes' (labels.ts). */
  text: LabelPlace;
}

export interface SceneLink {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Both ends up: a link to a down or failed node is drawn fainter. */
  live: boolean;
}

export interface SceneHull {
  key: string;
  group: number;
  d: string;
}

export interface SceneMessage {
  message: FlyingMessage;
  x: number;
  y: number;
  opacity: number;
  /** The kind's place in the legend (its colour, palette.ts), or -1 for a kind the lab did not declare. */
  colour: number;
  falling: boolean;
  selected: boolean;
}

/** Everything but the messages: what the SVG shows. */
export interface NetworkScene {
  nodes: SceneNode[];
  links: SceneLink[];
  hulls: SceneHull[];
  /** The reach circle around a dragged node, in view coordinates. */
  reachCircle: { x: number; y: number; r: number } | null;
}

export interface Scene extends NetworkScene {
  messages: SceneMessage[];
}

/** The node's name for screen readers and its tooltip: its visible text first, then its role (if the lab gives roles), then its status. */
export function ariaLabelOf(n: NetNode): string {
  const head = n.label === "" ? n.id : `${n.id} ${n.label}`;
  const role = n.role === undefined || n.role === "" ? "" : `, ${n.role}`;
  return `${head}${role}, ${n.status}`;
}

export function messageTitle(m: FlyingMessage): string {
  const copy = m.key === String(m.id) ? "" : " (duplicate)";
  const head = `${m.kind} #${m.id}${copy}: ${m.from} → ${m.to}`;
  return m.state === "falling" ? `${head}, dropped${m.reason === undefined ? "" : ` (${m.reason})`}` : head;
}

export function buildScene(p: SceneInput): Scene {
  const network = buildNetwork(p);
  return { ...network, messages: placeMessages(network, p) };
}

/** What buildNetwork reads: a network scene can be kept while these are the same. */
export type NetworkInput = Pick<SceneInput, "nodes" | "reach" | "selected" | "textScale" | "moving">;

/**
 * Whether two inputs give the same network scene: the same nodes (field by field: the store
 * hands a new array every frame), reach, selection, text scale and held node. Most frames
 * only move messages, and the SVG is then left alone.
 */
export function sameNetwork(a: NetworkInput, b: NetworkInput): boolean {
  if (a.reach !== b.reach || a.selected !== b.selected || (a.textScale ?? 1) !== (b.textScale ?? 1)) return false;
  const ma = a.moving ?? null;
  const mb = b.moving ?? null;
  if (ma !== mb && (ma === null || mb === null || ma.id !== mb.id || ma.x !== mb.x || ma.y !== mb.y || ma.dragging !== mb.dragging)) return false;
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (
      x !== y &&
      (x.id !== y.id || x.x !== y.x || x.y !== y.y || x.status !== y.status || x.group !== y.group || x.label !== y.label || x.tone !== y.tone || x.role !== y.role || x.shape !== y.shape)
    ) {
      return false;
    }
  }
  return true;
}

/** Nodes, links, hulls and the reach circle: the part of the scene the SVG draws. */
export function buildNetwork(p: NetworkInput): NetworkScene {
  const moving = p.moving ?? null;
  const unit: Point[] = p.nodes.map((n) => (moving !== null && n.id === moving.id ? { x: moving.x, y: moving.y } : { x: n.x, y: n.y }));
  // While a node is dragged, preview the partition its drop would make, by the same rule the
  // engine applies to a `move` (topology.ts); otherwise show the groups the engine has.
  const groups = moving?.dragging === true ? componentsOf(unit, p.reach) : p.nodes.map((n) => n.group);

  const centres = unit.map((u) => ({ x: toView(u.x), y: toView(u.y) }));
  const texts = placeLabels(
    p.nodes.map((n, i) => ({ ...centres[i]!, id: n.id, label: n.label, shape: shapeOf(n.shape) })),
    p.textScale ?? 1,
  );
  const nodes: SceneNode[] = p.nodes.map((n, i) => ({
    node: n,
    x: centres[i]!.x,
    y: centres[i]!.y,
    group: groups[i]!,
    selected: n.id === p.selected,
    dragging: moving?.dragging === true && n.id === moving.id,
    shape: shapeOf(n.shape),
    ariaLabel: ariaLabelOf(n),
    text: texts[i]!,
  }));

  const links: SceneLink[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      if (a.group !== b.group) continue;
      links.push({
        key: JSON.stringify([a.node.id, b.node.id]),
        x1: a.x,
        y1: a.y,
        x2: b.x,
        y2: b.y,
        live: a.node.status === "up" && b.node.status === "up",
      });
    }
  }

  // Hulls only say something when the network is split; one hull round everything is noise.
  const hulls: SceneHull[] = [];
  if (new Set(groups).size > 1) {
    const members = new Map<number, Point[]>();
    for (const n of nodes) (members.get(n.group) ?? members.set(n.group, []).get(n.group)!).push(n);
    for (const [group, pts] of members) hulls.push({ key: String(group), group, d: hullPath(hullPointsOf(pts), HULL_PAD) });
  }

  const dragged = nodes.find((n) => n.dragging);
  const reachCircle = dragged === undefined ? null : { x: dragged.x, y: dragged.y, r: toViewLength(p.reach) };
  return { nodes, links, hulls, reachCircle };
}

/** Where each message is at `time`, between the network scene's nodes, in painting order (send order). */
export function placeMessages(network: NetworkScene, p: Pick<SceneInput, "messages" | "kinds" | "time" | "reducedMotion" | "selected">): SceneMessage[] {
  // Thousands of messages a frame, on a few dozen links: each link's line is worked out once.
  const at = new Map<string, SceneNode>();
  for (const n of network.nodes) at.set(n.node.id, n);
  const kindIndex = new Map<string, number>();
  p.kinds.forEach((k, i) => kindIndex.has(k.kind) || kindIndex.set(k.kind, i));
  const spotOptions = { reducedMotion: p.reducedMotion };
  const lines = new Map<SceneNode, Map<SceneNode, FlightLine>>();
  const messages: SceneMessage[] = [];
  for (const m of p.messages) {
    const from = at.get(m.from);
    if (from === undefined) continue;
    // A message to a node that does not exist falls from its sender.
    const to = at.get(m.to) ?? from;
    let fromLines = lines.get(from);
    if (fromLines === undefined) lines.set(from, (fromLines = new Map()));
    let line = fromLines.get(to);
    if (line === undefined) {
      // Flights run between the bodies' rims, whatever their shapes.
      line = flightLine(from, to, { inset: Math.max(NODE_RADIUS, shapeReach(from.shape), shapeReach(to.shape)) });
      fromLines.set(to, line);
    }
    const spot = spotOnLine(m, p.time, line, spotOptions);
    if (spot === null) continue;
    messages.push({
      message: m,
      x: spot.x,
      y: spot.y,
      opacity: spot.opacity,
      colour: kindIndex.get(m.kind) ?? -1,
      falling: m.state === "falling",
      selected: m.key === p.selected,
    });
  }

  return messages;
}
