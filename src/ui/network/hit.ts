// Where the square view sits in the element that shows it, and which message a pointer is on.
// The messages are painted on a canvas laid over the SVG (canvas.ts), so the SVG's viewBox
// mapping ("meet": the shorter side sets the scale) is repeated here for both the painting and
// the pointer; pure numbers, no DOM, pinned by hit.test.ts.

import { VIEW_SIZE, type Point } from "./geometry.ts";

/** A 5-unit dot in motion is hard to hit: a press this close (view units) to its centre counts. */
export const HIT_RADIUS = 9;
/** …and never less than this many CSS pixels on screen, for a finger on a small view. */
export const HIT_MIN_PX = 12;

/** The view's placement in its element: a view point (vx, vy) is at (x + vx·scale, y + vy·scale) CSS px from the element's top-left. */
export interface ViewFit {
  scale: number;
  x: number;
  y: number;
}

/** The viewBox `0 0 VIEW_SIZE VIEW_SIZE` fitted into width × height CSS px, as `preserveAspectRatio` "x{Min|Mid}YMid meet" does. */
export function fitView(width: number, height: number, align: "start" | "center" = "center"): ViewFit {
  const side = Math.max(0, Math.min(width, height));
  const scale = side / VIEW_SIZE;
  return { scale, x: align === "start" ? 0 : (width - side) / 2, y: (height - side) / 2 };
}

/** A point relative to the element's top-left (CSS px) in view units. */
export function toViewCoords(fit: ViewFit, px: number, py: number): Point {
  return fit.scale > 0 ? { x: (px - fit.x) / fit.scale, y: (py - fit.y) / fit.scale } : { x: Number.NaN, y: Number.NaN };
}

/** A view point in CSS px from the element's top-left. */
export function toElementCoords(fit: ViewFit, vx: number, vy: number): Point {
  return { x: fit.x + vx * fit.scale, y: fit.y + vy * fit.scale };
}

/** How far from a dot a press still hits it, in view units, at this fit. */
export function hitRadiusOf(fit: ViewFit): number {
  return fit.scale > 0 ? Math.max(HIT_RADIUS, HIT_MIN_PX / fit.scale) : HIT_RADIUS;
}

export interface HitTarget {
  x: number;
  y: number;
  message: { key: string };
}

/**
 * The message under a view point: the nearest whose centre is within `radius`; of two
 * equally near, the one painted later (it is on top). Null when none is that close.
 */
export function hitMessage(messages: readonly HitTarget[], vx: number, vy: number, radius = HIT_RADIUS): string | null {
  if (!Number.isFinite(vx) || !Number.isFinite(vy)) return null;
  let best: string | null = null;
  let bestD = radius * radius;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const dx = m.x - vx;
    const dy = m.y - vy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = m.message.key;
    }
  }
  return best;
}
