// The resilience lab's charts: the whole run second by second, as small multiples sharing one
// time axis — offered load against goodput, latency, the front's queue, its token bucket and
// its concurrency limit, retries and refusals. Behind every chart the spans when the breaker
// was open (red) or half-open (amber), so a learner sees what each mechanism did while it was.
// A dashed rule marks a bound where it says something (the queue's bound, the bucket's burst,
// the downstream's capacity). Clicking a chart goes to that moment.
//
// The stage re-renders every frame while the run plays: the paths are drawn once per new second
// (the series only grows by whole points), the axis moves in steps, and only the line that
// marks the current time follows every frame.
import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import { memo, useLayoutEffect, useMemo, useState } from "react";
import type { BreakerChange, Metrics, Point } from "./series.ts";

/**
 * Width and height of an element, followed as it resizes: a callback ref to put on it, and its
 * size (0 × 0 until it is laid out). A callback ref, so an element that comes and goes (a chart
 * box the learner hides and shows again) is followed each time it comes.
 */
export function useSize(): [(el: HTMLElement | null) => void, { w: number; h: number }] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    if (el === null) return;
    const read = () => {
      const r = el.getBoundingClientRect();
      const w = Math.floor(r.width);
      const h = Math.floor(r.height);
      setSize((s) => (s.w === w && s.h === h ? s : { w, h }));
    };
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, size];
}

/** A line: its name in the title (`short` where the chart is narrow) and its value in a second. */
type Series = { key: string; name: string; short?: string; cls: string; value(p: Point): number | null };

type Rule = { value: number; label: string };

type Chart = {
  id: "load" | "latency" | "queue" | "tokens" | "limit" | "retries";
  title: string;
  unit: string;
  lines: Series[];
  /** A gauge is read at the end of its second (the front's queue, limit, tokens); a rate over it. */
  gauge: boolean;
  /** Why the chart is empty, when it is: in words, and in one where the chart is narrow. */
  empty?: { long: string; short: string };
  rule?: Rule;
};

export type ChartBounds = { queue: number; burst: number | null; capacity: number };

function charts(b: ChartBounds): Chart[] {
  return [
    {
      id: "load",
      title: "Load",
      unit: "/s",
      gauge: false,
      lines: [
        { key: "attempts", name: "offered", short: "sent", cls: "offered", value: (p) => p.attempts },
        { key: "ok", name: "goodput", short: "ok", cls: "good", value: (p) => p.ok },
      ],
    },
    {
      id: "latency",
      title: "Latency",
      unit: " ms",
      gauge: false,
      lines: [
        { key: "p50", name: "p50", cls: "p50", value: (p) => p.p50 },
        { key: "p99", name: "p99", cls: "p99", value: (p) => p.p99 },
      ],
    },
    {
      id: "queue",
      title: "Front queue",
      unit: "",
      gauge: true,
      lines: [{ key: "queue", name: "", cls: "queue", value: (p) => p.queue }],
      rule: { value: b.queue, label: `bound ${b.queue}` },
    },
    {
      id: "tokens",
      title: "Tokens",
      unit: "",
      gauge: true,
      lines: [{ key: "tokens", name: "", cls: "tokens", value: (p) => p.tokens }],
      ...(b.burst === null ? { empty: { long: "the token bucket is off", short: "off" } } : { rule: { value: b.burst, label: `burst ${b.burst}` } }),
    },
    {
      id: "limit",
      title: "Concurrency limit",
      unit: "",
      gauge: true,
      lines: [{ key: "limit", name: "", cls: "limit", value: (p) => p.limit }],
      rule: { value: b.capacity, label: `db capacity ${b.capacity}` },
    },
    {
      id: "retries",
      title: "Retries",
      unit: "/s",
      gauge: false,
      lines: [
        { key: "retries", name: "", cls: "retries", value: (p) => p.retries },
        { key: "refused", name: "refused", cls: "refused", value: (p) => p.rejected + p.shed },
      ],
    },
  ];
}

/** The spans the breaker spent open or half-open, up to `until`. */
export function breakerSpans(transitions: readonly BreakerChange[], until: number): { from: number; to: number; state: string }[] {
  const out: { from: number; to: number; state: string }[] = [];
  for (let i = 0; i < transitions.length; i++) {
    const c = transitions[i]!;
    if (c.to === "closed") continue;
    out.push({ from: c.t, to: transitions[i + 1]?.t ?? until, state: c.to });
  }
  return out;
}

/** The axis's end: the run so far, in steps, so that it does not rescale every frame. */
function axisEnd(time: number): number {
  const step = time <= 60_000 ? 10_000 : time <= 600_000 ? 60_000 : 600_000;
  return Math.max(step, Math.ceil(time / step) * step);
}

const secs = (ms: number) => `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1))} s`;

/** How many columns: panels near a landscape shape, none narrower than it can read. */
function columnsFor(w: number, h: number, n: number): number {
  let best = 1;
  let score = Infinity;
  for (const cols of [1, 2, 3]) {
    const pw = (w - GAP * (cols - 1)) / cols;
    const rows = Math.ceil(n / cols);
    const ph = (h - AXIS + GAP) / rows - TITLE - GAP - PAD.top - PAD.bottom;
    if (cols > 1 && pw < 170) continue;
    const s = Math.abs(Math.log(Math.max(1, pw) / Math.max(1, ph) / 3.2));
    if (s < score) [best, score] = [cols, s];
  }
  return best;
}

const GAP = 10;
/** A chart's plot height where the charts do not fill a box (stacked under the machine). */
const FIXED = 64;
/** The title line above each chart, and the time axis under the lowest in each column. */
const TITLE = 18;
const AXIS = 16;
const PAD = { left: 34, right: 8, top: 4, bottom: 2 };

/** The front's gauges now, from its node view: what the gauge charts' titles say. */
export type Live = { queue: number; limit: number; tokens: number | null };

export type ChartsProps = {
  metrics: Metrics;
  live: Live | null;
  time: number;
  bounds: ChartBounds;
  seek(t: number): void;
  /** The box the charts fill: its width, and its height when `fill` (else each chart has a set height). */
  w: number;
  h: number;
  fill: boolean;
};

export function Charts({ metrics, live, time, bounds, seek, w, h, fill }: ChartsProps) {
  const list = useMemo(() => charts(bounds), [bounds.queue, bounds.burst, bounds.capacity]); // eslint-disable-line react-hooks/exhaustive-deps
  const cols = fill ? columnsFor(w, h, list.length) : w >= 340 ? 2 : 1;
  const rows = Math.ceil(list.length / cols);
  const pw = Math.max(120, Math.floor((w - GAP * (cols - 1)) / cols));
  // Each row: its title, the plot and its padding, a gap below all but the last; then the axis.
  const ph = fill ? Math.max(36, Math.floor((h - AXIS + GAP) / rows - TITLE - GAP - PAD.top - PAD.bottom)) : FIXED;
  const end = axisEnd(time);
  return (
    <div className="res-charts-grid" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }}>
      {list.map((c, i) => (
        <ChartPanel
          key={c.id}
          chart={c}
          metrics={metrics}
          live={live}
          n={metrics.points.length}
          last={metrics.points.at(-1)?.t ?? -1}
          transitions={metrics.transitions.length}
          end={end}
          time={time}
          pw={pw}
          ph={ph}
          axis={i + cols >= list.length}
          seek={seek}
        />
      ))}
    </div>
  );
}

type PanelProps = {
  chart: Chart;
  metrics: Metrics;
  live: Live | null;
  /** The series' length, its last second and the breaker's transitions: the paths are drawn again only when they change. */
  n: number;
  last: number;
  transitions: number;
  end: number;
  time: number;
  pw: number;
  ph: number;
  axis: boolean;
  seek(t: number): void;
};

const named = (s: Series, narrow: boolean) => {
  const name = narrow ? (s.short ?? s.name) : s.name;
  return name === "" ? "" : `${name} `;
};

const fmt = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? "—" : `${Math.round(v * 10) / 10}${unit}`);

const ChartPanel = memo(function ChartPanel({ chart, metrics, live, n, last, transitions, end, time, pw, ph, axis, seek }: PanelProps) {
  const H = ph + PAD.top + PAD.bottom + (axis ? AXIS : 0);
  const x = useMemo(() => scaleLinear().domain([0, end]).range([PAD.left, pw - PAD.right]), [end, pw]);
  const drawn = useMemo(() => {
    const shown = metrics.points;
    // A rate is drawn at its second's middle; a gauge (the deepest queue, the last limit) at its
    // end. The second in progress is left to the title, which reads it every frame.
    const at = (p: Point) => p.t + (chart.gauge ? 1000 : 500);
    let top = 0;
    for (const p of shown) for (const s of chart.lines) top = Math.max(top, s.value(p) ?? 0);
    // A bound is drawn when it is near the data; a huge one (an unbounded queue) would flatten it.
    const rule = chart.rule !== undefined && chart.rule.value <= Math.max(4, top * 2.5) ? chart.rule : undefined;
    if (rule !== undefined) top = Math.max(top, rule.value);
    const y = scaleLinear()
      .domain([0, Math.max(1, top)])
      .nice(2)
      .range([PAD.top + ph, PAD.top]);
    const paths = chart.lines.map((s) => ({
      s,
      d:
        line<Point>()
          .defined((p) => s.value(p) !== null)
          .x((p) => x(at(p)))
          .y((p) => y(s.value(p)!))(shown) ?? "",
    }));
    // The breaker's spans that have ended, one path a state; the one still open is drawn apart.
    const bands: Record<string, string> = {};
    for (const b of breakerSpans(metrics.transitions, Infinity)) {
      if (b.to === Infinity) continue;
      bands[b.state] = `${bands[b.state] ?? ""}M${x(b.from).toFixed(1)} ${PAD.top}H${Math.max(x(b.from) + 1, x(b.to)).toFixed(1)}v${ph}H${x(b.from).toFixed(1)}Z`;
    }
    return { y, paths, rule, bands: Object.entries(bands), ticks: x.ticks(Math.max(2, Math.min(8, Math.floor(pw / 70)))) };
    // Drawn again for a new second, a new transition, a new axis or a new size, or another run
    // (a replay hands on new series; one run's series grows in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [metrics, n, last, transitions, x, ph, chart]);
  // A rate as of the last whole second; a gauge as the front reads now.
  const latest = metrics.points.at(-1);
  const now = live !== null && (chart.id === "queue" || chart.id === "limit" || chart.id === "tokens") ? live[chart.id] : undefined;
  const values = chart.lines.map((s) => ({ s, v: now !== undefined ? now : latest === undefined ? null : s.value(latest) }));
  const narrow = pw < 250;
  const empty = chart.empty !== undefined && values.every((v) => v.v === null) ? chart.empty : undefined;
  const lastChange = metrics.transitions.at(-1);
  const open = lastChange !== undefined && lastChange.to !== "closed" ? { from: lastChange.t, state: lastChange.to } : undefined;
  const [top] = drawn.y.domain().slice(-1);
  return (
    <div className="res-chart">
      <p className="res-chart-title">
        <strong>{chart.title}</strong>{" "}
        {empty !== undefined ? (
          <span className="res-muted">{narrow ? empty.short : empty.long}</span>
        ) : (
          values.map(({ s, v }) => (
            <span key={s.key} className={`key ${s.cls}`}>
              {named(s, narrow)}
              {fmt(v, chart.unit)}
            </span>
          ))
        )}
      </p>
      <svg
        width={pw}
        height={H}
        role="img"
        aria-label={`${chart.title} over the run: ${empty?.long ?? values.map(({ s, v }) => `${named(s, false)}${fmt(v, chart.unit)}`).join(", ")}. Click to go to a moment.`}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const t = x.invert(e.clientX - r.left);
          if (Number.isFinite(t)) seek(Math.max(0, Math.min(time, t)));
        }}
      >
        {drawn.bands.map(([state, d]) => (
          <path key={state} className={`band ${state}`} d={d} />
        ))}
        {/* The breaker's span going on now grows every frame. */}
        {open !== undefined && <rect className={`band ${open.state}`} x={x(open.from)} width={Math.max(1, x(Math.min(end, time)) - x(open.from))} y={PAD.top} height={ph} />}
        <line className="grid" x1={PAD.left} x2={pw - PAD.right} y1={drawn.y(0)} y2={drawn.y(0)} />
        <line className="grid" x1={PAD.left} x2={pw - PAD.right} y1={drawn.y(top!)} y2={drawn.y(top!)} />
        <text className="tick" x={PAD.left - 4} y={drawn.y(top!)} dy="0.7em" textAnchor="end">
          {top}
        </text>
        <text className="tick" x={PAD.left - 4} y={drawn.y(0)} textAnchor="end">
          0
        </text>
        {drawn.rule !== undefined && (
          <g className="rule">
            <line x1={PAD.left} x2={pw - PAD.right} y1={drawn.y(drawn.rule.value)} y2={drawn.y(drawn.rule.value)} />
            {/* Above its line, or below it where the line runs along the chart's top. */}
            <text x={pw - PAD.right - 2} y={drawn.y(drawn.rule.value) - PAD.top < 12 ? drawn.y(drawn.rule.value) + 11 : drawn.y(drawn.rule.value) - 2} textAnchor="end">
              {drawn.rule.label}
            </text>
          </g>
        )}
        {drawn.paths.map(({ s, d }) => (
          <path key={s.key} className={`series ${s.cls}`} d={d} />
        ))}
        <line className="now" x1={x(time)} x2={x(time)} y1={PAD.top} y2={PAD.top + ph} />
        {axis &&
          drawn.ticks.map((v) => (
            <text key={v} className="tick" x={x(v)} y={H - 3} textAnchor={v === 0 ? "start" : x(v) > pw - PAD.right - 14 ? "end" : "middle"}>
              {secs(v)}
            </text>
          ))}
      </svg>
    </div>
  );
});
