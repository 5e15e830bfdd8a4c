// Pure geometry of the network view: where the unit square sits in the SVG, the outline of a
// partition group, and where a message is at a given virtual time. No DOM, no D3 selections:
// the drawing code asks, these answer, and the tests pin the numbers.

import { polygonHull } from "d3-polygon";
import { fallMsOf } from "../../store/messages.ts";
import type { FlyingMessage } from "../../store/frame.ts";

export interface Point {
  x: number;
  y: number;
}

/** The SVG's viewBox is VIEW_SIZE square; the unit square sits inside it with MARGIN all round, room for labels. */
export const VIEW_SIZE = 600;
export const MARGIN = 56;
export const SPAN = VIEW_SIZE - 2 * MARGIN;

/** Node circle radius, in view units. */
export const NODE_RADIUS = 15;
/** How far a hull reaches past its nodes' circles and labels. */
export const HULL_PAD = 24;
/** The two label lines under a node, roughly: a hull encloses this box as well as the circle. */
export const LABEL_BOX = { halfWidth: 30, below: 40 };
/** A message's distance to the right of its link, so the two directions of a link do not overlap. */
export const MESSAGE_SIDE = 6;
/** How far a dropped message falls by the end of its fall, in view units. */
export const FALL_DISTANCE = 70;
/** Where along its link a message lost at send is shown falling: just clear of the sender. */
export const LOST_AT = 0.2;

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : Number.isNaN(v) ? 0 : v;
}

export function toView(u: number): number {
  return MARGIN + u * SPAN;
}

export function fromView(v: number): number {
  return (v - MARGIN) / SPAN;
}

export function toViewPoint(p: Point): Point {
  return { x: toView(p.x), y: toView(p.y) };
}

/** A unit-square length (e.g. reach) in view units. */
export function toViewLength(u: number): number {
  return u * SPAN;
}

const f = (v: number) => String(Math.round(v * 100) / 100);

/**
 * The outline of a group of nodes, `pad` beyond their centres: the convex hull grown by a
 * circle (straight sides, round corners). Two nodes give a capsule, one a circle. Points are
 * in view coordinates.
 */
export function hullPath(points: readonly Point[], pad: number): string {
  const hull = convexHull(points);
  if (hull.length === 0) return "";
  if (hull.length === 1) {
    const { x, y } = hull[0]!;
    return `M${f(x - pad)},${f(y)}A${f(pad)},${f(pad)} 0 1 1 ${f(x + pad)},${f(y)}A${f(pad)},${f(pad)} 0 1 1 ${f(x - pad)},${f(y)}Z`;
  }
  // Hull vertices run clockwise on screen (y down); each edge's outward normal is then its
  // direction turned left in screen terms, and each corner is a clockwise (sweep 1) arc.
  const normals = hull.map((p, i) => {
    const q = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    return { x: (q.y - p.y) / len, y: -(q.x - p.x) / len };
  });
  const n0 = normals[0]!;
  let d = `M${f(hull[0]!.x + n0.x * pad)},${f(hull[0]!.y + n0.y * pad)}`;
  hull.forEach((_, i) => {
    const q = hull[(i + 1) % hull.length]!;
    const n = normals[i]!;
    const m = normals[(i + 1) % hull.length]!;
    d += `L${f(q.x + n.x * pad)},${f(q.y + n.y * pad)}`;
    d += `A${f(pad)},${f(pad)} 0 0 1 ${f(q.x + m.x * pad)},${f(q.y + m.y * pad)}`;
  });
  return d + "Z";
}

/**
 * Convex hull, clockwise on screen, without repeated points. Fewer than three distinct
 * points, or points on one line, give the one or two extreme points.
 */
export function convexHull(points: readonly Point[]): Point[] {
  const distinct: Point[] = [];
  for (const p of points) if (!distinct.some((q) => Math.abs(q.x - p.x) < 1e-9 && Math.abs(q.y - p.y) < 1e-9)) distinct.push(p);
  if (distinct.length <= 2) return distinct;
  const h = polygonHull(distinct.map((p) => [p.x, p.y] as [number, number]));
  const hull = (h ?? []).map(([x, y]) => ({ x, y }));
  if (hull.length < 3) return hull;
  let area = 0;
  hull.forEach((p, i) => {
    const q = hull[(i + 1) % hull.length]!;
    area += p.x * q.y - q.x * p.y;
  });
  return area < 0 ? hull.reverse() : hull;
}

/** The points a group's hull goes round: each node's centre and the foot of its labels. */
export function hullPointsOf(centres: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const c of centres) {
    out.push(c, { x: c.x - LABEL_BOX.halfWidth, y: c.y + LABEL_BOX.below }, { x: c.x + LABEL_BOX.halfWidth, y: c.y + LABEL_BOX.below });
  }
  return out;
}

export interface MessageSpot {
  x: number;
  y: number;
  opacity: number;
}

export interface SpotOptions {
  reducedMotion: boolean;
  /** Flights run between the nodes' rims, not their centres, so a message is never hidden under a node. */
  inset?: number;
  side?: number;
  fallDistance?: number;
}

/**
 * Where a message is drawn at virtual time `time`, `from` and `to` being its nodes' centres
 * in view coordinates, or null when it is not drawn.
 *
 * Flying: along the straight line by the share of its flight done, offset to the right of
 * its direction of travel. Falling: from where it dropped (the receiver's rim for a drop on
 * arrival, LOST_AT along the link for one lost at send) it falls y += d·p² while fading to
 * transparent, p being the share of its fall done; the fall's length is in view units, not
 * per virtual ms, so it reads the same at any playback speed.
 *
 * Reduced motion: a flying message sits still at the middle of its link until it arrives
 * (the side offset still tells the two directions apart), and a dropped one stays, dimmed,
 * where it dropped until its fall time is over. Nothing moves while time runs.
 */
export function messageSpot(m: FlyingMessage, time: number, from: Point, to: Point, o: SpotOptions): MessageSpot | null {
  return spotOnLine(m, time, flightLine(from, to, o), o);
}

/** The straight line a message flies along between two nodes: rim to rim, offset to the right of its direction. */
export interface FlightLine {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/** The line of every flight from `from` to `to` (centres in view coordinates); the same for all messages on that link. */
export function flightLine(from: Point, to: Point, o: Pick<SpotOptions, "inset" | "side">): FlightLine {
  const inset = o.inset ?? NODE_RADIUS;
  const side = o.side ?? MESSAGE_SIDE;
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy);
  const ux = len > 0 ? dx / len : 0;
  const uy = len > 0 ? dy / len : 0;
  // Screen y points down, so (-uy, ux) is to the right of the direction of travel.
  const sx = -uy * side;
  const sy = ux * side;
  const rim = len > 2 * inset ? inset : 0;
  return { ax: from.x + ux * rim + sx, ay: from.y + uy * rim + sy, bx: to.x - ux * rim + sx, by: to.y - uy * rim + sy };
}

/** Where on its line (flightLine) a message is drawn at `time`, or null when it is not drawn: messageSpot without the line's arithmetic. */
export function spotOnLine(m: FlyingMessage, time: number, line: FlightLine, o: SpotOptions): MessageSpot | null {
  const { ax, ay, bx, by } = line;
  const flight = m.arriveAt - m.sentAt;
  if (m.state === "flying") {
    const p = o.reducedMotion ? 0.5 : flight > 0 ? clamp01((time - m.sentAt) / flight) : 1;
    return { x: ax + (bx - ax) * p, y: ay + (by - ay) * p, opacity: 1 };
  }

  const dropAt = m.dropAt ?? m.arriveAt;
  const fallEnd = m.fallEnd ?? dropAt + fallMsOf(flight, !(flight > 0));
  if (time >= fallEnd || time < dropAt) return null;
  const q = flight > 0 ? clamp01((dropAt - m.sentAt) / flight) : LOST_AT;
  const x = ax + (bx - ax) * q;
  const y = ay + (by - ay) * q;
  if (o.reducedMotion) return { x, y, opacity: 0.55 };
  const p = fallEnd > dropAt ? clamp01((time - dropAt) / (fallEnd - dropAt)) : 1;
  return { x, y: y + (o.fallDistance ?? FALL_DISTANCE) * p * p, opacity: 1 - p };
}
