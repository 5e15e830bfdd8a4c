// Where each node's two text lines (its id, and its lab's label under it) go, so that no two
// nodes' texts print over each other or over another node. Plain data, computed without a DOM
// (like the rest of the scene) from the nodes' centres and an estimate of the text's size.
//
// Each node tries its places in turn — below, above, right, left — and takes the first whose
// box is clear of every node and of the texts already placed; the view's edge counts as an
// obstacle too. When no place is clear the label line is left out (the id stays, and the
// whole label is in the node's accessible name and tooltip), so texts never overlap. Each node
// is as tall and as wide as its shape (shapes.ts): text clears a diamond's tips as well as a
// circle's rim.

import { VIEW_SIZE } from "./geometry.ts";
import { shapeExtent } from "./shapes.ts";
import type { NodeShape } from "../../store/frame.ts";

export interface LabelPlace {
  /** Text anchor for both lines. */
  anchor: "middle" | "start" | "end";
  /** Offsets from the node's centre, view units: x of both lines, baselines of the two lines. */
  dx: number;
  idY: number;
  labelY: number;
  /** False when the label line could not be placed clear of others (the id still shows). */
  showLabel: boolean;
}

export interface LabelInput {
  x: number;
  y: number;
  id: string;
  label: string;
  /** The node's body (circle when absent): its extent decides how far out the text starts. */
  shape?: NodeShape;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Font sizes in view units at text scale 1 (network.css: 13px ids, 11.5px labels). */
const ID_SIZE = 13;
const LABEL_SIZE = 11.5;
/** Average advance of a character, as a share of the font size (system sans-serif). */
const CHAR_WIDTH = 0.58;
const GAP = 4;

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** `scale`: the on-screen counter-scaling of text (NetworkView's --sb-net-k). */
export function placeLabels(nodes: readonly LabelInput[], scale = 1): LabelPlace[] {
  const idH = ID_SIZE * scale * 1.15;
  const labelH = LABEL_SIZE * scale * 1.15;
  const extents = nodes.map((n) => shapeExtent(n.shape));
  const obstacles: Box[] = nodes.map((n, i) => {
    const { rx, ry } = extents[i]!;
    return { x0: n.x - rx - 3, y0: n.y - ry - 3, x1: n.x + rx + 3, y1: n.y + ry + 3 };
  });
  const placed: Box[] = [];
  const inView = (b: Box) => b.x0 >= 0 && b.x1 <= VIEW_SIZE && b.y0 >= 0 && b.y1 <= VIEW_SIZE;

  return nodes.map((n, i) => {
    // Below and above the text clears the body's height, beside it its width.
    const { rx: RX, ry: RY } = extents[i]!;
    const idW = n.id.length * ID_SIZE * scale * CHAR_WIDTH;
    const labelW = n.label.length * LABEL_SIZE * scale * CHAR_WIDTH;
    const clear = (b: Box) => inView(b) && !placed.some((p) => overlaps(p, b)) && !obstacles.some((o, j) => j !== i && overlaps(o, b));

    for (const withLabel of n.label === "" ? [false] : [true, false]) {
      const w = Math.max(idW, withLabel ? labelW : 0);
      const h = idH + (withLabel ? labelH : 0);
      const sideTop = n.y - h / 2;
      const candidates: { place: Omit<LabelPlace, "showLabel">; box: Box }[] = [
        { place: { anchor: "middle", dx: 0, idY: RY + GAP + idH * 0.8, labelY: RY + GAP + idH + labelH * 0.8 }, box: { x0: n.x - w / 2, y0: n.y + RY + GAP, x1: n.x + w / 2, y1: n.y + RY + GAP + h } },
        { place: { anchor: "middle", dx: 0, idY: -RY - GAP - h + idH * 0.8, labelY: -RY - GAP - h + idH + labelH * 0.8 }, box: { x0: n.x - w / 2, y0: n.y - RY - GAP - h, x1: n.x + w / 2, y1: n.y - RY - GAP } },
        { place: { anchor: "start", dx: RX + GAP + 2, idY: -h / 2 + idH * 0.8, labelY: -h / 2 + idH + labelH * 0.8 }, box: { x0: n.x + RX + GAP, y0: sideTop, x1: n.x + RX + GAP + 2 + w, y1: sideTop + h } },
        { place: { anchor: "end", dx: -RX - GAP - 2, idY: -h / 2 + idH * 0.8, labelY: -h / 2 + idH + labelH * 0.8 }, box: { x0: n.x - RX - GAP - 2 - w, y0: sideTop, x1: n.x - RX - GAP, y1: sideTop + h } },
      ];
      const found = candidates.find((c) => clear(c.box));
      if (found !== undefined) {
        placed.push(found.box);
        return { ...found.place, showLabel: withLabel };
      }
    }
    // Nowhere clear even for the id alone: keep the id below the node, where it is expected.
    const below = { x0: n.x - idW / 2, y0: n.y + RY + GAP, x1: n.x + idW / 2, y1: n.y + RY + GAP + idH };
    placed.push(below);
    return { anchor: "middle", dx: 0, idY: RY + GAP + idH * 0.8, labelY: RY + GAP + idH + labelH * 0.8, showLabel: false };
  });
}
