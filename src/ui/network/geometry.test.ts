import { describe, expect, it } from "vitest";
import {
  clamp01,
  convexHull,
  FALL_DISTANCE,
  fromView,
  hullPath,
  LOST_AT,
  MARGIN,
  messageSpot,
  toView,
  toViewLength,
  VIEW_SIZE,
  type Point,
} from "./geometry.ts";
import type { FlyingMessage } from "../../store/frame.ts";

const flying = (over: Partial<FlyingMessage> = {}): FlyingMessage => ({
  key: "1",
  id: 1,
  from: "a",
  to: "b",
  kind: "ping",
  sentAt: 100,
  arriveAt: 200,
  state: "flying",
  msg: null,
  ...over,
});

/** Every coordinate pair a path's commands end on. */
function pathPoints(d: string): Point[] {
  const nums = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  const out: Point[] = [];
  // M x,y | L x,y | A rx,ry rot large sweep x,y
  for (const cmd of d.match(/[MLA][^MLAZ]*/g)!) {
    const n = cmd.slice(1).match(/-?\d+(\.\d+)?/g)!.map(Number);
    out.push({ x: n[n.length - 2]!, y: n[n.length - 1]! });
  }
  expect(nums.length).toBeGreaterThan(0);
  return out;
}

describe("view coordinates", () => {
  it("put the unit square inside the view box with a margin on every side", () => {
    expect(toView(0)).toBe(MARGIN);
    expect(toView(1)).toBe(VIEW_SIZE - MARGIN);
    expect(toView(0.5)).toBe(VIEW_SIZE / 2);
    expect(toViewLength(0.5)).toBe((VIEW_SIZE - 2 * MARGIN) / 2);
  });

  it("map back from the view to the unit square", () => {
    for (const u of [0, 0.123, 0.5, 1]) expect(fromView(toView(u))).toBeCloseTo(u, 12);
    expect(fromView(0)).toBeLessThan(0);
  });

  it("clamp to the unit square, NaN to 0", () => {
    expect(clamp01(-0.2)).toBe(0);
    expect(clamp01(1.7)).toBe(1);
    expect(clamp01(0.42)).toBe(0.42);
    expect(clamp01(Number.NaN)).toBe(0);
  });
});

describe("hullPath", () => {
  it("draws a single node as a circle of the padding's radius", () => {
    const d = hullPath([{ x: 100, y: 50 }], 10);
    expect(d).toBe("M90,50A10,10 0 1 1 110,50A10,10 0 1 1 90,50Z");
  });

  it("draws two nodes as a capsule: two straight sides and two half-circle ends", () => {
    const d = hullPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], 10);
    expect(d).toBe("M0,-10L100,-10A10,10 0 0 1 100,10L0,10A10,10 0 0 1 0,-10Z");
  });

  it("treats nodes on one line, or on top of each other, as their two ends", () => {
    expect(convexHull([{ x: 0, y: 0 }, { x: 50, y: 50 }, { x: 100, y: 100 }])).toHaveLength(2);
    expect(convexHull([{ x: 5, y: 5 }, { x: 5, y: 5 }])).toEqual([{ x: 5, y: 5 }]);
    expect(hullPath([{ x: 5, y: 5 }, { x: 5, y: 5 }], 10)).toBe(hullPath([{ x: 5, y: 5 }], 10));
    expect(hullPath([], 10)).toBe("");
  });

  it("grows the convex hull by the padding on every side, with a round corner at each vertex", () => {
    const square = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 100 },
      { x: 0, y: 100 },
      { x: 50, y: 50 }, // inside: not on the outline
    ];
    const d = hullPath(square, 20);
    expect(d.match(/A/g)).toHaveLength(4);
    const pts = pathPoints(d);
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([-20, 120, -20, 120]);
    // Every outline point is exactly the padding away from the nearest corner or side.
    for (const p of pts) {
      const dx = Math.max(0 - p.x, 0, p.x - 100);
      const dy = Math.max(0 - p.y, 0, p.y - 100);
      expect(Math.hypot(dx, dy)).toBeCloseTo(20, 6);
    }
  });

  it("runs clockwise on screen whatever order the points come in", () => {
    const a = hullPath([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 50, y: 80 }], 10);
    const b = hullPath([{ x: 50, y: 80 }, { x: 100, y: 0 }, { x: 0, y: 0 }], 10);
    const area = (d: string) => {
      const p = pathPoints(d);
      return p.reduce((s, q, i) => s + q.x * p[(i + 1) % p.length]!.y - p[(i + 1) % p.length]!.x * q.y, 0);
    };
    expect(area(a)).toBeGreaterThan(0);
    expect(area(b)).toBeGreaterThan(0);
  });
});

describe("messageSpot", () => {
  const a = { x: 0, y: 0 };
  const b = { x: 100, y: 0 };
  const opts = { reducedMotion: false, inset: 0, side: 6 };

  it("moves a flying message along its link by the share of its flight done, to the right of its direction", () => {
    expect(messageSpot(flying(), 100, a, b, opts)).toEqual({ x: 0, y: 6, opacity: 1 });
    expect(messageSpot(flying(), 150, a, b, opts)).toEqual({ x: 50, y: 6, opacity: 1 });
    expect(messageSpot(flying(), 175, a, b, opts)).toEqual({ x: 75, y: 6, opacity: 1 });
  });

  it("keeps the two directions of a link apart", () => {
    const there = messageSpot(flying(), 150, a, b, opts)!;
    const back = messageSpot(flying({ from: "b", to: "a" }), 150, b, a, opts)!;
    expect(there.x).toBe(back.x);
    expect(there.y - back.y).toBe(12);
  });

  it("flies from rim to rim, so a message never hides under a node", () => {
    expect(messageSpot(flying(), 100, a, b, { ...opts, inset: 15 })).toEqual({ x: 15, y: 6, opacity: 1 });
    expect(messageSpot(flying(), 200, a, b, { ...opts, inset: 15 })).toEqual({ x: 85, y: 6, opacity: 1 });
    // Nodes closer than two radii: centre to centre.
    expect(messageSpot(flying(), 100, a, { x: 20, y: 0 }, { ...opts, inset: 15 })).toEqual({ x: 0, y: 6, opacity: 1 });
  });

  it("lets a message dropped on arrival fall from the receiver, accelerating, and fade out", () => {
    const m = flying({ state: "falling", dropAt: 200, fallEnd: 240, reason: "crashed" });
    expect(messageSpot(m, 200, a, b, opts)).toEqual({ x: 100, y: 6, opacity: 1 });
    expect(messageSpot(m, 220, a, b, opts)).toEqual({ x: 100, y: 6 + FALL_DISTANCE / 4, opacity: 0.5 });
    expect(messageSpot(m, 230, a, b, opts)).toEqual({ x: 100, y: 6 + (FALL_DISTANCE * 9) / 16, opacity: 0.25 });
    expect(messageSpot(m, 240, a, b, opts)).toBeNull();
  });

  it("lets a message lost at send fall from just past its sender", () => {
    const m = flying({ state: "falling", arriveAt: 100, dropAt: 100, fallEnd: 130, reason: "loss" });
    expect(messageSpot(m, 100, a, b, opts)).toEqual({ x: 100 * LOST_AT, y: 6, opacity: 1 });
    expect(messageSpot(m, 115, a, b, opts)?.opacity).toBe(0.5);
    expect(messageSpot(m, 130, a, b, opts)).toBeNull();
  });

  it("works out the fall's end from the default rule when the message does not carry it", () => {
    const m = flying({ state: "falling", dropAt: 200 });
    expect(messageSpot(m, 239.9, a, b, opts)).not.toBeNull();
    expect(messageSpot(m, 240, a, b, opts)).toBeNull();
  });

  it("with reduced motion, holds a flying message still at the middle of its link", () => {
    const still = { ...opts, reducedMotion: true };
    expect(messageSpot(flying(), 100, a, b, still)).toEqual({ x: 50, y: 6, opacity: 1 });
    expect(messageSpot(flying(), 199, a, b, still)).toEqual({ x: 50, y: 6, opacity: 1 });
  });

  it("with reduced motion, shows a dropped message dimmed where it dropped, without falling, until its fall time is over", () => {
    const still = { ...opts, reducedMotion: true };
    const m = flying({ state: "falling", dropAt: 200, fallEnd: 240 });
    expect(messageSpot(m, 200, a, b, still)).toEqual({ x: 100, y: 6, opacity: 0.55 });
    expect(messageSpot(m, 239, a, b, still)).toEqual({ x: 100, y: 6, opacity: 0.55 });
    expect(messageSpot(m, 240, a, b, still)).toBeNull();
  });
});
