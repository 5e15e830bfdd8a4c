// The network view: nodes you can drag apart to partition them, the groups as hulls, and the
// messages in flight. React renders the <svg> and its layers once; a layout effect hands each
// new set of props to the D3 drawing (draw.ts), which updates the elements in place.

import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { NetworkDrawing, type NetworkCallbacks } from "./draw.ts";
import { VIEW_SIZE } from "./geometry.ts";
import { KIND_COLOURS } from "./scene.ts";
import type { FlyingMessage, KindColour, NetNode } from "../../store/frame.ts";
import "./network.css";

export interface NetworkViewProps extends NetworkCallbacks {
  nodes: NetNode[];
  /** Link distance in the unit square: nodes farther apart cannot talk. */
  reach: number;
  /** Virtual time the messages are drawn at. */
  time: number;
  messages: FlyingMessage[];
  /** Message kinds in legend order; the order picks the colours. */
  kinds: readonly KindColour[];
  /** Messages sit still mid-link instead of gliding, and dropped ones fade in place instead of falling. */
  reducedMotion: boolean;
  /** A node id or a message key. */
  selected: string | null;
  /** Where the square view sits in a wider box: at its start, leaving room for drawers, or centred. */
  align?: "start" | "center";
}

/** Text keeps about this on-screen size however wide the view is drawn (within limits). */
const TEXT_SCALE_RANGE: [number, number] = [0.8, 1.7];

export function NetworkView(props: NetworkViewProps) {
  const { nodes, reach, time, messages, kinds, reducedMotion, selected } = props;
  const svg = useRef<SVGSVGElement>(null);
  const drawing = useRef<NetworkDrawing | null>(null);
  // The drawing's listeners are bound once; they read the latest callbacks through this.
  const callbacks = useRef<NetworkCallbacks>(props);
  useLayoutEffect(() => {
    callbacks.current = props;
  });

  useLayoutEffect(() => {
    const d = new NetworkDrawing(svg.current!, () => callbacks.current);
    drawing.current = d;
    return () => {
      d.destroy();
      drawing.current = null;
    };
  }, []);

  // The text scale is also what the labels are placed for (labels.ts).
  const [textScale, setTextScale] = useState(1);
  useLayoutEffect(() => {
    drawing.current?.update({ nodes, reach, time, messages, kinds, reducedMotion, selected, textScale });
  }, [nodes, reach, time, messages, kinds, reducedMotion, selected, textScale]);

  // The viewBox scales everything with the element's width; labels would shrink out of
  // legibility on a narrow screen, so text is counter-scaled (network.css, --sb-net-k).
  useEffect(() => {
    const el = svg.current!;
    const fit = () => {
      // The square viewBox is fitted into the element ("meet"): the shorter side sets the scale.
      const { width, height } = el.getBoundingClientRect();
      const side = Math.min(width, height);
      if (side <= 0) return;
      const k = Math.min(TEXT_SCALE_RANGE[1], Math.max(TEXT_SCALE_RANGE[0], VIEW_SIZE / side));
      const rounded = Math.round(k * 100) / 100;
      el.style.setProperty("--sb-net-k", String(rounded));
      setTextScale(rounded);
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return (
    <figure className="netview-wrap">
      <svg
        ref={svg}
        className="netview"
        viewBox={`0 0 ${VIEW_SIZE} ${VIEW_SIZE}`}
        preserveAspectRatio={props.align === "start" ? "xMinYMid meet" : "xMidYMid meet"}
        role="group"
        aria-label="Network"
        data-motion={reducedMotion ? "reduced" : "full"}
      >
        <g className="hulls" />
        <g className="links" />
        <g className="reach" />
        <g className="nodes" />
        <g className="messages" />
      </svg>
      {kinds.length > 0 && (
        <figcaption>
          <ul className="netview-legend" aria-label="Message kinds">
            {kinds.map((k, i) => (
              <li key={k.kind}>
                <span className="swatch" data-colour={i % KIND_COLOURS} aria-hidden="true" />
                {k.kind}
              </li>
            ))}
            <li className="dropped">
              <span className="swatch" aria-hidden="true" />
              {reducedMotion ? "dropped (dimmed)" : "dropped: falls and fades"}
            </li>
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
