// Node bodies by role: a lab with several roles gives each its shape (NetNode.shape), so a
// client reads apart from a server without relying on colour. Every shape has the area of
// the plain circle (NODE_RADIUS), so no role looks more important by size alone; the halo and
// the focus ring are the same shape grown, and labels keep clear of each shape's own extent.
// Pure: path strings and numbers, no DOM.

import { NODE_RADIUS } from "./geometry.ts";
import type { NodeShape } from "../../store/frame.ts";

export const SHAPES: readonly NodeShape[] = ["circle", "square", "diamond", "hexagon"];

/** Half-side of a square, half-diagonal of a diamond, circumradius of a hexagon, per unit of the equal-area circle's radius. */
const SQUARE = Math.sqrt(Math.PI) / 2;
const DIAMOND = Math.sqrt(Math.PI / 2);
const HEXAGON = Math.sqrt((2 * Math.PI) / (3 * Math.sqrt(3)));

const f = (v: number) => String(Math.round(v * 100) / 100);

/** A shape the view knows, or the circle for anything else (a missing or unknown shape). */
export function shapeOf(shape: string | undefined): NodeShape {
  return shape !== undefined && (SHAPES as readonly string[]).includes(shape) ? (shape as NodeShape) : "circle";
}

/**
 * The outline of `shape` centred on 0,0, as big as a circle of radius `r` (equal area).
 * The hexagon lies flat (points left and right), so it is lower than it is wide, like the text under it expects.
 */
export function shapePath(shape: NodeShape | undefined, r: number): string {
  switch (shapeOf(shape)) {
    case "square": {
      const a = r * SQUARE;
      return `M${f(-a)},${f(-a)}H${f(a)}V${f(a)}H${f(-a)}Z`;
    }
    case "diamond": {
      const h = r * DIAMOND;
      return `M0,${f(-h)}L${f(h)},0L0,${f(h)}L${f(-h)},0Z`;
    }
    case "hexagon": {
      const R = r * HEXAGON;
      const pts = Array.from({ length: 6 }, (_, k) => {
        const a = (k * Math.PI) / 3;
        return `${f(R * Math.cos(a))},${f(R * Math.sin(a))}`;
      });
      return `M${pts.join("L")}Z`;
    }
    default:
      return `M${f(-r)},0A${f(r)},${f(r)} 0 1 1 ${f(r)},0A${f(r)},${f(r)} 0 1 1 ${f(-r)},0Z`;
  }
}

/** Half the width and half the height of `shape` drawn at radius `r` (its box round 0,0). */
export function shapeExtent(shape: NodeShape | undefined, r = NODE_RADIUS): { rx: number; ry: number } {
  switch (shapeOf(shape)) {
    case "square":
      return { rx: r * SQUARE, ry: r * SQUARE };
    case "diamond":
      return { rx: r * DIAMOND, ry: r * DIAMOND };
    case "hexagon":
      return { rx: r * HEXAGON, ry: (r * HEXAGON * Math.sqrt(3)) / 2 };
    default:
      return { rx: r, ry: r };
  }
}

/** How far from its centre a shape reaches at most: messages leave and arrive beyond it. */
export function shapeReach(shape: NodeShape | undefined, r = NODE_RADIUS): number {
  const { rx, ry } = shapeExtent(shape, r);
  return Math.max(rx, ry);
}
