// The D3 side of the network view: joins a Scene (scene.ts) to the SVG layers React rendered
// once. Elements are keyed (node id, link pair, message key), so a frame only moves and
// restyles what exists; nothing is rebuilt. Attributes and text are written only when they
// change, which keeps a 60 fps frame with a few hundred messages to a few hundred writes.
//
// Text from data goes in through textContent (selection.text) and attributes, never as
// markup: a node called `<img src=x onerror=alert(1)>` shows just that.

import { drag, type D3DragEvent, type DragBehavior } from "d3-drag";
import { select, type BaseType, type Selection } from "d3-selection";
import { clamp01, fromView, NODE_RADIUS } from "./geometry.ts";
import { buildScene, type SceneHull, type SceneInput, type SceneLink, type SceneMessage, type SceneNode } from "./scene.ts";
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

export class NetworkDrawing {
  private readonly layers: { hulls: Layer; links: Layer; reach: Layer; nodes: Layer; messages: Layer };
  private readonly dragging: DragBehavior<SVGGElement, SceneNode, { x: number; y: number }>;
  private input: Omit<SceneInput, "moving"> | null = null;
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
    svg: SVGSVGElement,
    private readonly callbacks: () => NetworkCallbacks,
  ) {
    const layer = (name: string): Layer => {
      const g = svg.querySelector<SVGGElement>(`g.${name}`);
      if (g === null) throw new Error(`network view: the svg has no g.${name} layer`);
      return select(g);
    };
    this.layers = { hulls: layer("hulls"), links: layer("links"), reach: layer("reach"), nodes: layer("nodes"), messages: layer("messages") };
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

  update(input: Omit<SceneInput, "moving">): void {
    // A dropped node is held where it was dropped until the store answers with new nodes.
    if (this.moving !== null && !this.moving.dragging && input.nodes !== this.movedAgainst) this.moving = null;
    this.input = input;
    this.render();
  }

  /** Remove everything drawn (the layers stay, React owns them). */
  destroy(): void {
    for (const l of Object.values(this.layers)) l.selectChildren().remove();
    this.input = null;
  }

  private drop(id: string, x: number, y: number): void {
    this.moving = { id, x, y, dragging: false };
    this.movedAgainst = this.input?.nodes ?? null;
    this.render();
    this.callbacks().onDragEnd(id, x, y);
  }

  private render(): void {
    if (this.input === null) return;
    const scene = buildScene({ ...this.input, moving: this.moving });
    this.drawHulls(scene.hulls);
    this.drawLinks(scene.links);
    this.layers.reach
      .selectAll<SVGCircleElement, NonNullable<typeof scene.reachCircle>>("circle")
      .data(scene.reachCircle === null ? [] : [scene.reachCircle])
      .join((enter) => enter.append("circle").attr("class", "reach-circle"))
      .call(attr, "cx", (d) => d.x)
      .call(attr, "cy", (d) => d.y)
      .call(attr, "r", (d) => d.r);
    this.drawNodes(scene.nodes);
    this.drawMessages(scene.messages);
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

  private drawNodes(nodes: SceneNode[]): void {
    const g = this.layers.nodes
      .selectAll<SVGGElement, SceneNode>("g.node")
      .data(nodes, (d) => d.node.id)
      .join((enter) => {
        const g = enter.append("g").attr("class", "node").attr("tabindex", 0).attr("role", "button");
        g.append("circle").attr("class", "focus-ring").attr("r", NODE_RADIUS + 10);
        g.append("circle").attr("class", "halo").attr("r", NODE_RADIUS + 5);
        g.append("circle").attr("class", "body").attr("r", NODE_RADIUS);
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
      .call(attr, "aria-pressed", (d) => String(d.selected))
      .call(toggle, "selected", (d) => d.selected)
      .call(toggle, "dragging", (d) => d.dragging);
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

  private drawMessages(messages: SceneMessage[]): void {
    const g = this.layers.messages
      .selectAll<SVGGElement, SceneMessage>("g.msg")
      .data(messages, (d) => d.message.key)
      .join((enter) => {
        const g = enter.append("g").attr("class", "msg");
        // A larger transparent target: a 5-unit dot in motion is hard to click.
        g.append("circle").attr("class", "hit").attr("r", 9);
        g.append("circle").attr("class", "dot").attr("r", 5);
        g.append("title");
        g.on("click", (e: MouseEvent, d) => {
          e.stopPropagation();
          this.callbacks().onSelectMessage(d.message.key);
        });
        return g;
      });
    g.call(attr, "transform", (d) => `translate(${r2(d.x)},${r2(d.y)})`)
      .call(attr, "opacity", (d) => (d.opacity >= 1 ? null : r2(d.opacity)))
      .call(attr, "data-colour", (d) => (d.colour < 0 ? "other" : String(d.colour)))
      .call(attr, "data-key", (d) => d.message.key)
      .call(toggle, "falling", (d) => d.message.state === "falling")
      .call(toggle, "selected", (d) => d.selected);
    g.select<SVGTitleElement>("title").call(text, (d) => d.title);
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
