import { describe, expect, it } from "vitest";
import { NODE_RADIUS } from "./geometry.ts";
import { placeLabels } from "./labels.ts";
import { SHAPES, shapeExtent, shapeOf, shapePath, shapeReach } from "./shapes.ts";

/** The vertices (end points) of a path made of M, L, H, V and Z. */
function vertices(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  for (const cmd of d.match(/[MLHVZ][^MLHVZ]*/g)!) {
    const n = cmd.slice(1).match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
    if (cmd[0] === "M" || cmd[0] === "L") [x, y] = [n[0]!, n[1]!];
    else if (cmd[0] === "H") x = n[0]!;
    else if (cmd[0] === "V") y = n[0]!;
    else continue;
    out.push({ x, y });
  }
  return out;
}

/** Shoelace area of a polygon. */
function area(pts: { x: number; y: number }[]): number {
  let a = 0;
  pts.forEach((p, i) => {
    const q = pts[(i + 1) % pts.length]!;
    a += p.x * q.y - q.x * p.y;
  });
  return Math.abs(a) / 2;
}

describe("node shapes", () => {
  it("draws a circle by default and for a shape it does not know", () => {
    expect(shapeOf(undefined)).toBe("circle");
    expect(shapeOf("star")).toBe("circle");
    expect(shapePath(undefined, 15)).toBe("M-15,0A15,15 0 1 1 15,0A15,15 0 1 1 -15,0Z");
    expect(shapePath("circle", 15)).toBe(shapePath(undefined, 15));
  });

  it("draws the square, the diamond and the hexagon with their corners, each as big as the circle", () => {
    const r = 15;
    const counts = { square: 4, diamond: 4, hexagon: 6 } as const;
    for (const s of ["square", "diamond", "hexagon"] as const) {
      const pts = vertices(shapePath(s, r));
      expect(pts, s).toHaveLength(counts[s]);
      // Equal area (to the path's two decimals), so no role looks bigger than another.
      expect(area(pts) / (Math.PI * r * r), s).toBeCloseTo(1, 2);
      // Centred on the node.
      expect(pts.reduce((t, p) => t + p.x, 0) / pts.length, s).toBeCloseTo(0, 6);
      expect(pts.reduce((t, p) => t + p.y, 0) / pts.length, s).toBeCloseTo(0, 6);
    }
  });

  it("reports each shape's extent as the box its path spans", () => {
    for (const s of SHAPES.filter((x) => x !== "circle")) {
      const pts = vertices(shapePath(s, NODE_RADIUS));
      const { rx, ry } = shapeExtent(s);
      expect(Math.max(...pts.map((p) => Math.abs(p.x))), s).toBeCloseTo(rx, 1);
      expect(Math.max(...pts.map((p) => Math.abs(p.y))), s).toBeCloseTo(ry, 1);
      expect(shapeReach(s)).toBe(Math.max(rx, ry));
    }
    expect(shapeExtent("circle")).toEqual({ rx: NODE_RADIUS, ry: NODE_RADIUS });
  });

  it("grows the halo and the focus ring as the same shape", () => {
    for (const s of SHAPES) {
      const body = shapeExtent(s, NODE_RADIUS);
      const halo = shapeExtent(s, NODE_RADIUS + 5);
      const ring = shapeExtent(s, NODE_RADIUS + 10);
      expect(halo.ry).toBeGreaterThan(body.ry + 4);
      expect(ring.ry).toBeGreaterThan(halo.ry + 4);
    }
  });

  it("places a label clear of the shape's own body: further out for a diamond than for a square", () => {
    const at = (shape: (typeof SHAPES)[number]) => placeLabels([{ x: 300, y: 300, id: "n1", label: "client", shape }])[0]!;
    for (const s of SHAPES) {
      const p = at(s);
      expect(p.anchor).toBe("middle");
      // The id's cap height starts below the body's lowest point.
      expect(p.idY - 13 * 1.15 * 0.8, s).toBeGreaterThanOrEqual(shapeExtent(s).ry);
    }
    expect(at("diamond").idY).toBeGreaterThan(at("square").idY);
  });

  it("keeps a neighbour's label off a diamond's tip", () => {
    // n2's label would go below it; a diamond under it reaches up into where a circle would not.
    const nodes = [
      { x: 300, y: 300, id: "n2", label: "follower · term 3" },
      { x: 300, y: 352, id: "n1", label: "", shape: "diamond" as const },
    ];
    const [p] = placeLabels(nodes);
    const bottom = 300 + (p!.showLabel ? p!.labelY : p!.idY) + 3;
    const tip = 352 - shapeExtent("diamond").ry;
    expect(p!.anchor !== "middle" || p!.idY < 0 || bottom <= tip).toBe(true);
  });
});
