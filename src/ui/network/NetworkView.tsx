// The network view: nodes you can drag apart to partition them, the groups as hulls, and the
// messages in flight. React renders the <svg> with its layers and the <canvas> over it once;
// a layout effect hands each new set of props to the drawing (draw.ts), which updates the SVG
// elements in place and paints the messages on the canvas.
//
// Colours come from the lab: its message kinds (legend order) and node tones, for the colour
// scheme in use, as custom properties on the <figure> (palette.ts); network.css only reads them.

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { NetworkDrawing, type NetworkCallbacks } from "./draw.ts";
import { VIEW_SIZE } from "./geometry.ts";
import { paletteOf } from "./palette.ts";
import { shapeOf, shapePath } from "./shapes.ts";
import type { FlyingMessage, KindColour, NetNode, NodeShape, ToneColour } from "../../store/frame.ts";
import "./network.css";

export interface NetworkViewProps extends NetworkCallbacks {
  nodes: NetNode[];
  /** Link distance in the unit square: nodes farther apart cannot talk. */
  reach: number;
  /** Virtual time the messages are drawn at. */
  time: number;
  messages: FlyingMessage[];
  /** Message kinds in legend order, with their colours (the lab's `messageKinds`). */
  kinds: readonly KindColour[];
  /** Fill and stroke of each node tone (the lab's `tones`); a node whose tone is not here is drawn plain. */
  tones?: Readonly<Record<string, ToneColour>>;
  /** Messages sit still mid-link instead of gliding, and dropped ones fade in place instead of falling. */
  reducedMotion: boolean;
  /** A node id or a message key. */
  selected: string | null;
  /** Where the square view sits in a wider box: at its start, leaving room for drawers, or centred. */
  align?: "start" | "center";
}

/** Text keeps about this on-screen size however wide the view is drawn (within limits). */
const TEXT_SCALE_RANGE: [number, number] = [0.8, 1.7];

const DARK = "(prefers-color-scheme: dark)";

/** Whether the page is in its dark scheme (app.css follows the same query). */
function useDarkScheme(): boolean {
  const [dark, setDark] = useState(() => typeof matchMedia === "function" && matchMedia(DARK).matches);
  useEffect(() => {
    const m = matchMedia(DARK);
    const on = () => setDark(m.matches);
    on();
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, []);
  return dark;
}

/** The roles the nodes have, each with its shape, in the order they first appear (for the legend). */
function rolesOf(nodes: readonly NetNode[]): { role: string; shape: NodeShape }[] {
  const out: { role: string; shape: NodeShape }[] = [];
  for (const n of nodes) {
    if (n.role === undefined || n.role === "" || out.some((r) => r.role === n.role)) continue;
    out.push({ role: n.role, shape: shapeOf(n.shape) });
  }
  return out;
}

export function NetworkView(props: NetworkViewProps) {
  const { nodes, reach, time, messages, kinds, tones, reducedMotion, selected } = props;
  const align = props.align ?? "center";
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<NetworkDrawing | null>(null);
  // The drawing's listeners are bound once; they read the latest callbacks through this.
  const callbacks = useRef<NetworkCallbacks>(props);
  useLayoutEffect(() => {
    callbacks.current = props;
  });

  const dark = useDarkScheme();
  const palette = useMemo(() => paletteOf(kinds, tones, dark), [kinds, tones, dark]);
  // A string key, so a new nodes array each frame does not rebuild the roles' legend.
  const roleKey = nodes.map((n) => (n.role === undefined ? "" : `${n.role}\u0000${n.shape ?? ""}`)).join("\u0001");
  const roles = useMemo(() => rolesOf(nodes), [roleKey]);

  useLayoutEffect(() => {
    const d = new NetworkDrawing(svg.current!, canvas.current!, () => callbacks.current);
    drawing.current = d;
    const { width, height } = svg.current!.getBoundingClientRect();
    d.resize(width, height, window.devicePixelRatio || 1);
    return () => {
      d.destroy();
      drawing.current = null;
    };
  }, []);

  // The text scale is also what the labels are placed for (labels.ts).
  const [textScale, setTextScale] = useState(1);
  useLayoutEffect(() => {
    drawing.current?.update({ nodes, reach, time, messages, kinds, reducedMotion, selected, textScale, palette, align });
  }, [nodes, reach, time, messages, kinds, reducedMotion, selected, textScale, palette, align]);

  // The viewBox scales everything with the element's width; labels would shrink out of
  // legibility on a narrow screen, so text is counter-scaled (network.css, --sb-net-k). The
  // canvas follows the SVG's size and the screen's pixel density.
  useEffect(() => {
    const el = svg.current!;
    let dprQuery: MediaQueryList | null = null;
    const fit = () => {
      const { width, height } = el.getBoundingClientRect();
      drawing.current?.resize(width, height, window.devicePixelRatio || 1);
      // The square viewBox is fitted into the element ("meet"): the shorter side sets the scale.
      const side = Math.min(width, height);
      if (side <= 0) return;
      const k = Math.min(TEXT_SCALE_RANGE[1], Math.max(TEXT_SCALE_RANGE[0], VIEW_SIZE / side));
      const rounded = Math.round(k * 100) / 100;
      el.style.setProperty("--sb-net-k", String(rounded));
      setTextScale(rounded);
    };
    // A zoom or a move to another screen changes the pixel ratio, not always the size.
    const watchDpr = () => {
      dprQuery?.removeEventListener("change", onDpr);
      dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      dprQuery.addEventListener("change", onDpr);
    };
    const onDpr = () => {
      watchDpr();
      fit();
    };
    fit();
    watchDpr();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => {
      ro.disconnect();
      dprQuery?.removeEventListener("change", onDpr);
    };
  }, []);

  return (
    <figure className="netview-wrap" style={palette.vars as CSSProperties}>
      <div className="netview-stage">
        <svg
          ref={svg}
          className="netview"
          viewBox={`0 0 ${VIEW_SIZE} ${VIEW_SIZE}`}
          preserveAspectRatio={align === "start" ? "xMinYMid meet" : "xMidYMid meet"}
          role="group"
          aria-label="Network"
          data-motion={reducedMotion ? "reduced" : "full"}
        >
          <g className="hulls" />
          <g className="links" />
          <g className="reach" />
          <g className="nodes" />
        </svg>
        {/* The messages in flight (canvas.ts); a click on one selects it like a click on a node. */}
        <canvas ref={canvas} className="netview-messages" aria-hidden="true" />
      </div>
      {(kinds.length > 0 || roles.length > 0) && (
        <figcaption>
          {roles.length > 0 && (
            <ul className="netview-legend" aria-label="Node roles">
              {roles.map((r) => (
                <li key={r.role}>
                  <svg className="role-swatch" viewBox="-20 -20 40 40" aria-hidden="true" focusable="false">
                    <path d={shapePath(r.shape, 15)} />
                  </svg>
                  {r.role}
                </li>
              ))}
            </ul>
          )}
          {kinds.length > 0 && (
            <ul className="netview-legend" aria-label="Message kinds">
              {kinds.map((k, i) => (
                <li key={k.kind}>
                  <span className="swatch" style={{ background: `var(--k${i})` }} aria-hidden="true" />
                  {k.kind}
                </li>
              ))}
              <li className="dropped">
                <span className="swatch" aria-hidden="true" />
                {reducedMotion ? "dropped (dimmed)" : "dropped: falls and fades"}
              </li>
            </ul>
          )}
        </figcaption>
      )}
    </figure>
  );
}
