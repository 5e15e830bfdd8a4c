// The D3 side of the network view: joins a Scene (scene.ts) to the SVG layers React rendered
// once, and hands the messages to the canvas over it (canvas.ts). Elements are keyed (node
// id, link pair), so a frame only moves and restyles what exists; nothing is rebuilt.
// Attributes and text are written only when they change, so a frame in which only messages
// move writes nothing to the SVG at all: the canvas repaints, the SVG is left to the cache.
//
// Messages are not elements: a click or a hover over the SVG, off the nodes, is tested against
// the scene's message positions (hit.ts); on a node's body it is the node's.
//
// Text from data goes in through textContent (selection.text) and attributes, never as
// markup: a node called `<img src=x onerror=alert(1)>` shows just that.

import { drag, type D3DragEvent, type DragBehavior } from "d3-drag";
import { select, type BaseType, type Selection } from "d3-selection";
import { MessageCanvas, type CanvasColours } from "./canvas.ts";
import { clamp01, fromView, NODE_RADIUS, VIEW_SIZE } from "./geometry.ts";
import { fitView, hitMessage, hitRadiusOf, toViewCoords, type ViewFit } from "./hit.ts";
import { toneStyle, type Palette } from "./palette.ts";
import {
  buildNetwork,
  messageTitle,
  placeMessages,
  sameNetwork,
  type NetworkInput,
  type NetworkScene,
  type Scene,
  type SceneHull,
  type SceneInput,
  type SceneLink,
  type SceneNode,
} from "./scene.ts";
import { shapePath } from "./shapes.ts";
import type { NetNode } from "../../store/frame.ts";

export interface NetworkCallbacks {
  onSelectNode(id: string): void;
  onSelectMessage(key: string): void;
  onDragEnd(id: string, x: number, y: number): void;
  onNodeMenu(id: string, clientX: number, clientY: number): void;
}

/** One arrow key press moves the focused node this far in the unit square. */
export const KEY_STEP = 0.05;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

type Layer = Selection<SVGGElement, unknown, null, undefined>;

/** What the view hands the drawing each time its props change. */
export interface DrawingInput extends Omit<SceneInput, "moving"> {
  palette: Palette;
  /** Where the square view sits in a wider box (the SVG's preserveAspectRatio). */
  align: "start" | "center";
}

/** How far below the view the canvas reaches, CSS px: a message dropped at a bottom node falls past the view's edge. */
export const CANVAS_BLEED = 48;

export class NetworkDrawing {
  private readonly layers: { hulls: Layer; links: Layer; reach: Layer; nodes: Layer };
  private readonly dragging: DragBehavior<SVGGElement, SceneNode, { x: number; y: number }>;
  private readonly painter: MessageCanvas;
  private input: DrawingInput | null = null;
  /** The last scene drawn: what a click or a hover is tested against. */
  private scene: Scene | null = null;
  /** The network part of it, what it was built from, and with which palette: kept while they stay the same. */
  private network: NetworkScene | null = null;
  private networkFor: NetworkInput | null = null;
  private networkPalette: Palette | null = null;
  /** The view in the SVG's box (for the pointer), and in the canvas's (for painting). */
  private fit: ViewFit = { scale: 0, x: 0, y: 0 };
  private canvasFit: ViewFit = { scale: 0, x: 0, y: 0 };
  private dpr = 1;
  private size = { width: 0, height: 0 };
  private colours: CanvasColours | null = null;
  private coloursFor: Palette | null = null;
  /** The message under the pointer, for the cursor and the tooltip. */
  private hovered: string | null = null;
  /** A node away from its `x, y`: held by the pointer, or dropped and waiting for the new nodes prop. */
  private moving: NonNullable<SceneInput["moving"]> | null = null;
  private movedAgainst: readonly NetNode[] | null = null;
  /**
   * The menu key (or Shift+F10) opened the menu from keydown; some browsers then also fire
   * `contextmenu`, which must not open it twice. A pointer press ends the wait, so a real
   * right-click right after is not mistaken for that echo.
   */
  private menuEcho = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly callbacks: () => NetworkCallbacks,
  ) {
    const layer = (name: string): Layer => {
      const g = svg.querySelector<SVGGElement>(`g.${name}`);
      if (g === null) throw new Error(`network view: the svg has no g.${name} layer`);
      return select(g);
    };
    this.layers = { hulls: layer("hulls"), links: layer("links"), reach: layer("reach"), nodes: layer("nodes") };
    this.painter = new MessageCanvas(canvas);
    // Capture: a click near a message, off any node, selects the message before the links and hulls under it see it.
    svg.addEventListener("click", this.onClick, true);
    svg.addEventListener("pointermove", this.onPointerMove);
    svg.addEventListener("pointerleave", this.onPointerLeave);
    this.dragging = drag<SVGGElement, SceneNode>()
      .subject((_e, d) => ({ x: d.x, y: d.y }))
      .on("drag", (e: D3DragEvent<SVGGElement, SceneNode, { x: number; y: number }>, d) => {
        // Rounded as the scenario will store it, so the preview is the partition the drop makes.
        this.moving = { id: d.node.id, x: round3(clamp01(fromView(e.x))), y: round3(clamp01(fromView(e.y))), dragging: true };
        this.render();
      })
      .on("end", (_e, d) => {
        const m = this.moving;
        if (m === null || !m.dragging || m.id !== d.node.id) return;
        this.drop(m.id, m.x, m.y);
      });
  }

  update(input: DrawingInput): void {
    // A dropped node is held where it was dropped until the store answers with new nodes.
    if (this.moving !== null && !this.moving.dragging && input.nodes !== this.movedAgainst) this.moving = null;
    const refit = this.input === null || input.align !== this.input.align;
    this.input = input;
    if (refit) this.refit();
    this.render();
  }

  /** The SVG's size on screen (CSS px) and the device pixel ratio: the canvas follows. */
  resize(width: number, height: number, dpr: number): void {
    this.size = { width, height };
    this.dpr = dpr;
    this.refit();
    if (this.scene !== null) this.paintMessages(this.scene);
  }

  /** Remove everything drawn (the layers stay, React owns them). */
  destroy(): void {
    for (const l of Object.values(this.layers)) l.selectChildren().remove();
    this.network = null;
    this.networkFor = null;
    this.svg.removeEventListener("click", this.onClick, true);
    this.svg.removeEventListener("pointermove", this.onPointerMove);
    this.svg.removeEventListener("pointerleave", this.onPointerLeave);
    this.painter.paint([], this.canvasFit, this.coloursOf(null));
    this.painter.destroy();
    this.input = null;
    this.scene = null;
  }

  /**
   * Where the view sits in the SVG, and the canvas with it: the canvas covers just the view's
   * square (and a little below it), not the whole box, so there are fewer pixels to clear and
   * to hand to the compositor each frame.
   */
  private refit(): void {
    const fit = fitView(this.size.width, this.size.height, this.input?.align ?? "center");
    this.fit = fit;
    const side = fit.scale * VIEW_SIZE;
    const style = this.canvas.style;
    const px = (v: number) => `${Math.round(v * 100) / 100}px`;
    if (style.left !== px(fit.x)) style.left = px(fit.x);
    if (style.top !== px(fit.y)) style.top = px(fit.y);
    if (style.width !== px(side)) style.width = px(side);
    if (style.height !== px(side + CANVAS_BLEED)) style.height = px(side + CANVAS_BLEED);
    this.painter.resize(side, side + CANVAS_BLEED, this.dpr);
    this.canvasFit = { scale: fit.scale, x: 0, y: 0 };
  }

  private drop(id: string, x: number, y: number): void {
    this.moving = { id, x, y, dragging: false };
    this.movedAgainst = this.input?.nodes ?? null;
    this.render();
    this.callbacks().onDragEnd(id, x, y);
  }

  private render(): void {
    const input = this.input;
    if (input === null) return;
    const networkInput: NetworkInput = { nodes: input.nodes, reach: input.reach, selected: input.selected, textScale: input.textScale, moving: this.moving };
    // Most frames only move messages: then the SVG is not touched at all.
    let network = this.network;
    if (network === null || this.networkFor === null || input.palette !== this.networkPalette || !sameNetwork(this.networkFor, networkInput)) {
      network = buildNetwork(networkInput);
      this.drawNetwork(network, input.palette);
      this.network = network;
      this.networkFor = networkInput;
      this.networkPalette = input.palette;
    }
    const scene: Scene = { ...network, messages: placeMessages(network, input) };
    this.scene = scene;
    this.paintMessages(scene);
    if (this.hovered !== null && !scene.messages.some((m) => m.message.key === this.hovered)) this.hover(null);
  }

  private drawNetwork(scene: NetworkScene, palette: Palette): void {
    this.drawHulls(scene.hulls);
    this.drawLinks(scene.links);
    this.layers.reach
      .selectAll<SVGCircleElement, NonNullable<typeof scene.reachCircle>>("circle")
      .data(scene.reachCircle === null ? [] : [scene.reachCircle])
      .join((enter) => enter.append("circle").attr("class", "reach-circle"))
      .call(attr, "cx", (d) => d.x)
      .call(attr, "cy", (d) => d.y)
      .call(attr, "r", (d) => d.r);
    this.drawNodes(scene.nodes, palette);
  }

  private paintMessages(scene: Scene): void {
    this.painter.paint(scene.messages, this.canvasFit, this.coloursOf(this.input?.palette ?? null));
  }

  /**
   * The canvas's colours: the lab's from the palette, the rest (background, text, selection)
   * from network.css as it resolves now. Read again only when the palette changes, which it
   * does when the colour scheme does.
   */
  private coloursOf(palette: Palette | null): CanvasColours {
    if (this.colours !== null && palette === this.coloursFor) return this.colours;
    const css = getComputedStyle(this.svg);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    this.colours = {
      kinds: palette?.kindColours ?? [],
      other: palette?.other ?? v("--sb-kind-other", "#9aa1ad"),
      background: v("--sb-net-bg", "#fbfbfc"),
      foreground: v("--sb-net-fg", "#1d1f23"),
      select: v("--sb-select", "#1d1f23"),
    };
    this.coloursFor = palette;
    return this.colours;
  }

  /**
   * The message at a pointer event's position, by the last scene drawn. A press on a node's
   * body is the node's, whatever flies over it: the node is what the learner aims at, and a
   * message is there for a moment only.
   */
  private messageAt(e: MouseEvent): string | null {
    const scene = this.scene;
    if (scene === null || scene.messages.length === 0) return null;
    if (e.target instanceof Element && e.target.closest("g.node") !== null) return null;
    const box = this.svg.getBoundingClientRect();
    const p = toViewCoords(this.fit, e.clientX - box.left, e.clientY - box.top);
    return hitMessage(scene.messages, p.x, p.y, hitRadiusOf(this.fit));
  }

  private readonly onClick = (e: MouseEvent): void => {
    const key = this.messageAt(e);
    if (key === null) return;
    e.stopPropagation();
    this.callbacks().onSelectMessage(key);
  };

  private readonly onPointerMove = (e: PointerEvent): void => {
    if (e.pointerType === "touch" || this.moving?.dragging === true) return;
    this.hover(this.messageAt(e));
  };

  private readonly onPointerLeave = (): void => this.hover(null);

  /** The cursor and the tooltip of the message under the pointer (the canvas has no elements to carry a <title>). */
  private hover(key: string | null): void {
    if (key === this.hovered) return;
    this.hovered = key;
    const m = key === null ? undefined : this.scene?.messages.find((x) => x.message.key === key);
    const host = this.canvas.parentElement;
    if (m === undefined) {
      this.svg.classList.remove("over-message");
      host?.removeAttribute("title");
      this.hovered = null;
    } else {
      this.svg.classList.add("over-message");
      host?.setAttribute("title", messageTitle(m.message));
    }
  }

  private drawHulls(hulls: SceneHull[]): void {
    this.layers.hulls
      .selectAll<SVGPathElement, SceneHull>("path")
      .data(hulls, (d) => d.key)
      .join("path")
      .call(attr, "class", (d) => `hull tint-${d.group % 4}`)
      .call(attr, "d", (d) => d.d);
  }

  private drawLinks(links: SceneLink[]): void {
    this.layers.links
      .selectAll<SVGLineElement, SceneLink>("line")
      .data(links, (d) => d.key)
      .join("line")
      .call(attr, "class", (d) => (d.live ? "link" : "link idle"))
      .call(attr, "x1", (d) => d.x1)
      .call(attr, "y1", (d) => d.y1)
      .call(attr, "x2", (d) => d.x2)
      .call(attr, "y2", (d) => d.y2);
  }

  private drawNodes(nodes: SceneNode[], palette: Palette): void {
    const g = this.layers.nodes
      .selectAll<SVGGElement, SceneNode>("g.node")
      .data(nodes, (d) => d.node.id)
      .join((enter) => {
        const g = enter.append("g").attr("class", "node").attr("tabindex", 0).attr("role", "button");
        // Body, halo and focus ring are paths of the node's shape (set below, as the shape may change).
        g.append("path").attr("class", "focus-ring");
        g.append("path").attr("class", "halo");
        g.append("path").attr("class", "body");
        const r = NODE_RADIUS * 0.62;
        g.append("path").attr("class", "cross").attr("d", `M${-r},${-r}L${r},${r}M${r},${-r}L${-r},${r}`);
        // The name comes from a <title> (also the tooltip), not aria-label: it starts with the
        // visible text, as WCAG's "label in name" asks.
        g.append("title");
        g.append("text").attr("class", "id");
        g.append("text").attr("class", "label");
        g.call(this.dragging)
          .on("click", (_e: MouseEvent, d) => this.callbacks().onSelectNode(d.node.id))
          .on("keydown", (e: KeyboardEvent, d) => this.onKey(e, d))
          .on("contextmenu", (e: MouseEvent, d) => this.onContextMenu(e, d))
          .on("pointerdown", () => {
            this.menuEcho = false;
          });
        return g;
      });
    g.call(attr, "transform", (d) => `translate(${r2(d.x)},${r2(d.y)})`)
      .call(attr, "data-node-id", (d) => d.node.id)
      .call(attr, "data-status", (d) => d.node.status)
      .call(attr, "data-tone", (d) => d.node.tone ?? null)
      .call(attr, "data-shape", (d) => d.shape)
      .call(attr, "style", (d) => toneStyle(palette, d.node.tone))
      .call(attr, "aria-pressed", (d) => String(d.selected))
      .call(toggle, "selected", (d) => d.selected)
      .call(toggle, "dragging", (d) => d.dragging);
    g.select<SVGPathElement>("path.body").call(attr, "d", (d) => shapePath(d.shape, NODE_RADIUS));
    g.select<SVGPathElement>("path.halo").call(attr, "d", (d) => shapePath(d.shape, NODE_RADIUS + 5));
    g.select<SVGPathElement>("path.focus-ring").call(attr, "d", (d) => shapePath(d.shape, NODE_RADIUS + 10));
    g.select<SVGTitleElement>("title").call(text, (d) => d.ariaLabel);
    g.select<SVGTextElement>("text.id")
      .call(text, (d) => d.node.id)
      .call(attr, "x", (d) => r2(d.text.dx))
      .call(attr, "y", (d) => r2(d.text.idY))
      .call(attr, "text-anchor", (d) => d.text.anchor);
    g.select<SVGTextElement>("text.label")
      .call(text, (d) => (d.text.showLabel ? d.node.label : ""))
      .call(attr, "x", (d) => r2(d.text.dx))
      .call(attr, "y", (d) => r2(d.text.labelY))
      .call(attr, "text-anchor", (d) => d.text.anchor);
  }

  private onKey(e: KeyboardEvent, d: SceneNode): void {
    const id = d.node.id;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    // Enter selects; space is left to the page (play and pause wherever focus is).
    if (e.key === "Enter") {
      this.claim(e);
      this.callbacks().onSelectNode(id);
    } else if (e.key === "ContextMenu" || (e.shiftKey && e.key === "F10")) {
      this.claim(e);
      this.menuEcho = true;
      const [x, y] = centreOf(e.currentTarget as Element);
      this.callbacks().onNodeMenu(id, x, y);
    } else {
      const arrow = e.shiftKey ? undefined : ARROWS[e.key];
      if (arrow === undefined) return;
      // Arrows also step the playback (DESIGN.md, "Keyboard"): on a node they move it instead.
      this.claim(e);
      const x = round3(clamp01(fromView(d.x) + arrow[0] * KEY_STEP));
      const y = round3(clamp01(fromView(d.y) + arrow[1] * KEY_STEP));
      this.drop(id, x, y);
    }
  }

  private onContextMenu(e: MouseEvent, d: SceneNode): void {
    e.preventDefault();
    e.stopPropagation();
    if (this.menuEcho) {
      this.menuEcho = false;
      return;
    }
    // A keyboard-made contextmenu (no key event seen, e.g. on another platform) has no pointer position.
    const [x, y] = e.clientX === 0 && e.clientY === 0 ? centreOf(e.currentTarget as Element) : [e.clientX, e.clientY];
    this.callbacks().onNodeMenu(d.node.id, x, y);
  }

  /** The node handles this key: the page's own shortcuts (space plays, arrows step) must not. */
  private claim(e: KeyboardEvent): void {
    e.preventDefault();
    e.stopPropagation();
  }
}

function centreOf(el: Element): [number, number] {
  const r = el.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}

/** Set an attribute (null removes it) only when its value changes. */
function attr<E extends Element, D>(sel: Selection<E, D, BaseType, unknown>, name: string, value: (d: D) => string | number | null): void {
  sel.each(function (d) {
    const v = value(d);
    const s = v === null ? null : String(v);
    if (this.getAttribute(name) === s) return;
    if (s === null) this.removeAttribute(name);
    else this.setAttribute(name, s);
  });
}

function toggle<E extends Element, D>(sel: Selection<E, D, BaseType, unknown>, name: string, on: (d: D) => boolean): void {
  sel.each(function (d) {
    const v = on(d);
    if (this.classList.contains(name) !== v) this.classList.toggle(name, v);
  });
}

/** textContent, only when it changes. */
function text<E extends Element, D>(sel: Selection<E, D, BaseType, unknown>, value: (d: D) => string): void {
  sel.filter(function (d) {
    return this.textContent !== value(d);
  }).text(value);
}

function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
