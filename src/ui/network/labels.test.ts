import { describe, expect, it } from "vitest";
import { NODE_RADIUS } from "./geometry.ts";
import { placeLabels, type LabelInput, type LabelPlace } from "./labels.ts";

/** The label block's box as placeLabels lays it out (same estimate as the module). */
function boxOf(n: LabelInput, p: LabelPlace, scale: number) {
  const w = Math.max(n.id.length * 13 * scale * 0.58, p.showLabel ? n.label.length * 11.5 * scale * 0.58 : 0);
  const top = n.y + p.idY - 13 * scale * 1.15 * 0.8;
  const bottom = n.y + (p.showLabel ? p.labelY : p.idY) + 2;
  const x0 = p.anchor === "middle" ? n.x + p.dx - w / 2 : p.anchor === "start" ? n.x + p.dx : n.x + p.dx - w;
  return { x0, x1: x0 + w, y0: top, y1: bottom };
}

const overlap = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe("node labels", () => {
  it("go below their nodes when there is room", () => {
    const places = placeLabels([
      { x: 100, y: 100, id: "n1", label: "follower" },
      { x: 400, y: 100, id: "n2", label: "leader" },
    ]);
    expect(places.map((p) => [p.anchor, p.dx, p.showLabel])).toEqual([
      ["middle", 0, true],
      ["middle", 0, true],
    ]);
    expect(places[0]!.idY).toBeGreaterThan(NODE_RADIUS);
  });

  it("move aside when a neighbour's label would be printed over, and never overlap", () => {
    const label = "candidate · term 1 (1 vote)";
    const nodes: LabelInput[] = [
      { x: 250, y: 400, id: "n4", label },
      { x: 330, y: 400, id: "n3", label: "follower · term 1" },
      { x: 290, y: 470, id: "n5", label },
    ];
    for (const scale of [1, 1.7]) {
      const places = placeLabels(nodes, scale);
      expect(places[0]!.anchor === "middle" && places[1]!.anchor === "middle" && places[0]!.idY > 0 && places[1]!.idY > 0).toBe(false);
      const boxes = nodes.map((n, i) => boxOf(n, places[i]!, scale));
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `${i} ${j} at ${scale}`).toBe(false);
    }
  });

  it("leave the label line out rather than print it over another node's", () => {
    // Five nodes in a tight clump: not every label can fit.
    const nodes: LabelInput[] = Array.from({ length: 5 }, (_, i) => ({ x: 300 + (i % 2) * 36, y: 300 + Math.floor(i / 2) * 36, id: `n${i + 1}`, label: "candidate · term 12 (2 votes)" }));
    const places = placeLabels(nodes, 1.7);
    expect(places.some((p) => !p.showLabel)).toBe(true);
    const boxes = nodes.map((n, i) => boxOf(n, places[i]!, 1.7));
    let overlapsFound = 0;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (places[i]!.showLabel && places[j]!.showLabel && overlap(boxes[i]!, boxes[j]!)) overlapsFound++;
    expect(overlapsFound).toBe(0);
  });
});
