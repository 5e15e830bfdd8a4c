// The ring lab's stage: the hash circle. Each server's virtual nodes are ticks in its colour
// round the outside, the arc each one owns a band in that colour; every key is a dot at its
// hash, in its owner's colour. Just after a server joins or leaves, the keys that changed owner
// are ringed. Pointing at a server's arcs, or at it in the legend, shows only its arcs and keys.
// Range sharding lays the keys out in name order instead, each server's range one arc. For
// strategies without a ring (modulo, jump, rendezvous, table) the keys keep their places on the
// circle and only their colours say where they live.
import { arc as d3arc } from "d3-shape";
import { useMemo, useState } from "react";
import type { LabStageProps } from "../ui-types.ts";
import type { Ledger } from "./ledger.ts";
import { hash32, keyName, placementOf, ringPoints } from "./placement.ts";
import { useVnodePreview } from "./preview.ts";
import { specOf } from "./protocol.ts";

const SIZE = 420;
const C = SIZE / 2;
const R_KEYS = 150;
const R_BAND = 172;
const R_TICK = 186;
/** How long after a membership change its moved keys stay ringed (virtual ms). */
const MOVED_MS = 4_000;

/** One colour per server, in the order they joined (distinct in light and dark). */
const COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c6bb1", "#7f7f00", "#b2182b", "#4d9221"];

export const serverColour = (i: number) => COLOURS[i % COLOURS.length]!;

const angle = (h: number) => (h / 2 ** 32) * 2 * Math.PI - Math.PI / 2;
const at = (h: number, r: number) => [C + r * Math.cos(angle(h)), C + r * Math.sin(angle(h))] as const;
const f = (x: number) => x.toFixed(1);

function dot(h: number, r: number, size: number): string {
  const [x, y] = at(h, r);
  return `M${f(x - size)} ${f(y)}a${size} ${size} 0 1 0 ${2 * size} 0a${size} ${size} 0 1 0 ${-2 * size} 0`;
}

/** The band a virtual node owns: from the point before it round to its own, as an annular sector (d3-shape). */
const band = d3arc<{ from: number; to: number }>()
  .innerRadius(R_BAND - 5)
  .outerRadius(R_BAND + 5)
  .startAngle((d) => (d.from / 2 ** 32) * 2 * Math.PI)
  .endAngle((d) => (d.to / 2 ** 32) * 2 * Math.PI + (d.to < d.from ? 2 * Math.PI : 0));

function arc(from: number, to: number): string {
  return band({ from, to }) ?? "";
}

export function RingStage({ series, time }: LabStageProps) {
  const ledger = series.ledger as Ledger | undefined;
  const [focus, setFocus] = useState<string | null>(null);
  const p = ledger?.params;
  const servers = ledger?.servers ?? [];
  const preview = useVnodePreview((s) => s.vnodes);
  const vnodes = p !== undefined && p.strategy === "ring" && preview !== null ? preview : p?.vnodes;
  const spec = p === undefined ? null : specOf({ ...p, vnodes: vnodes! }, servers);
  const specKey = JSON.stringify(spec);
  const lastMove = ledger?.moves.at(-1);
  const recent = lastMove !== undefined && time - lastMove.t < MOVED_MS && time >= lastMove.t;
  const drawn = useMemo(() => {
    if (spec === null) return null;
    const placement = placementOf(spec);
    const order = placement.servers;
    const colourOf = new Map(order.map((s, i) => [s, serverColour(i)]));
    const keys: Record<string, string[]> = {};
    const movedPaths: string[] = [];
    const before = spec.changes.length > 0 ? placementOf({ ...spec, changes: spec.changes.slice(0, -1) }) : null;
    // Range sharding lays the keys out in name order, so each server's range is one arc; the
    // other strategies put each key at its hash.
    const inOrder = spec.strategy === "range";
    const pos = (i: number, k: string) => (inOrder ? Math.floor((i / spec.keys) * 2 ** 32) : hash32(k));
    const ticks: Record<string, string[]> = {};
    const bands: Record<string, string[]> = {};
    let runFrom = 0;
    for (let i = 0; i < spec.keys; i++) {
      const k = keyName(i);
      const o = placement.owner(k);
      (keys[o] ??= []).push(dot(pos(i, k), R_KEYS, 2.6));
      if (before !== null && before.owner(k) !== o) movedPaths.push(dot(pos(i, k), R_KEYS, 5.5));
      if (inOrder && (i + 1 === spec.keys || placement.owner(keyName(i + 1)) !== o)) {
        const to = Math.floor(((i + 1) / spec.keys) * 2 ** 32) % 2 ** 32;
        (bands[o] ??= []).push(arc(pos(runFrom, ""), to === 0 ? 2 ** 32 - 1 : to));
        const [x0, y0] = at(pos(runFrom, ""), R_BAND - 8);
        const [x1, y1] = at(pos(runFrom, ""), R_TICK);
        (ticks[o] ??= []).push(`M${f(x0)} ${f(y0)}L${f(x1)} ${f(y1)}`);
        runFrom = i + 1;
      }
    }
    if (spec.strategy === "ring" && order.length > 0) {
      const points = ringPoints(order, spec.vnodes);
      points.forEach((pt, i) => {
        const [x0, y0] = at(pt.at, R_BAND + 8);
        const [x1, y1] = at(pt.at, R_TICK);
        (ticks[pt.server] ??= []).push(`M${f(x0)} ${f(y0)}L${f(x1)} ${f(y1)}`);
        const prev = points[(i - 1 + points.length) % points.length]!;
        if (prev.at !== pt.at) (bands[pt.server] ??= []).push(arc(prev.at, pt.at));
      });
    }
    return { order, colourOf, keys, ticks, bands, moved: movedPaths.join("") };
    // specKey stands for spec: the same placement draws the same picture.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [specKey]);
  if (drawn === null || p === undefined) return <p className="hint">The ring appears once the run starts.</p>;
  const dim = (s: string) => (focus !== null && focus !== s ? 0.12 : 1);
  const counts = Object.fromEntries(drawn.order.map((s) => [s, drawn.keys[s]?.length ?? 0]));
  const what =
    p.strategy === "ring"
      ? `${drawn.order.length} servers, ${vnodes} virtual ${vnodes === 1 ? "node" : "nodes"} each, ${p.keys} keys`
      : p.strategy === "range"
        ? `${drawn.order.length} servers, ${p.keys} keys in name order, each server's range one arc`
        : `${drawn.order.length} servers, ${p.keys} keys placed by ${p.strategy === "modulo" ? "hash mod N" : p.strategy} (no ring: colour shows the owner)`;
  return (
    <figure className="ring-stage">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`The hash ring: ${what}. Keys per server: ${drawn.order.map((s) => `${s} ${counts[s]}`).join(", ")}`}>
        <circle className="rim" cx={C} cy={C} r={R_KEYS} />
        {drawn.order.map((s) => (
          <g key={s} opacity={dim(s)} style={{ color: drawn.colourOf.get(s) }} onMouseEnter={() => setFocus(s)} onMouseLeave={() => setFocus(null)}>
            {drawn.bands[s] && <path className="band" transform={`translate(${C} ${C})`} d={drawn.bands[s]!.join("")} />}
            {drawn.ticks[s] && <path className="tick" d={drawn.ticks[s]!.join("")} />}
            {drawn.keys[s] && <path className="key" d={drawn.keys[s]!.join("")} />}
          </g>
        ))}
        {recent && drawn.moved !== "" && <path className="moved" d={drawn.moved} />}
        <text className="centre" x={C} y={C - 6} textAnchor="middle">
          {p.keys} keys
        </text>
        <text className="centre small" x={C} y={C + 14} textAnchor="middle">
          {recent ? `${lastMove!.change}: ${lastMove!.movedKeys} moved` : p.strategy === "ring" ? `${vnodes} vnodes a server${vnodes !== p.vnodes ? " (let go to apply)" : ""}` : p.strategy}
        </text>
      </svg>
      <figcaption>
        <ul className="ring-legend" aria-label="Servers: point at one to see only its keys">
          {drawn.order.map((s) => (
            <li key={s}>
              <button type="button" onMouseEnter={() => setFocus(s)} onMouseLeave={() => setFocus(null)} onFocus={() => setFocus(s)} onBlur={() => setFocus(null)} aria-pressed={focus === s}>
                <span className="swatch" style={{ background: drawn.colourOf.get(s) }} /> {s} <span className="n">{counts[s]}</span>
              </button>
            </li>
          ))}
        </ul>
        {recent && <p className="hint">Ringed: the keys the last change moved.</p>}
      </figcaption>
    </figure>
  );
}
