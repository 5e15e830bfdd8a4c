// The clocks lab's stage: a space-time diagram of the whole run. One lane per node, time flowing
// right, every event a mark on its lane (a send filled, a delivery open, a local event small,
// a write of the register square) and every message an arrow from its send to its delivery.
// It grows as the run plays and follows the timeline when the learner scrubs.
//
// Clicking an event selects it: its causal past and future stay bright, the events concurrent
// with it grey out, and its Lamport, vector and HLC values show beside the diagram. Clicking a
// second event compares the two, with the entries that prove the relation. The wall-clock view
// lays the same events out by each node's physical reading instead: a message from a fast clock
// to a slow one then points backwards, its effect drawn before its cause.
import { scaleLinear } from "d3-scale";
import { useMemo, useState, type MouseEvent, type ReactNode } from "react";
import type { LabStageProps } from "../ui-types.ts";
import { hlcCompare, hlcText, vcCompare, vcText, type Order } from "./clocks.ts";
import { lostWrites, type ClockEvent, type Spacetime } from "./series.ts";
import "./view.css";

const W = 800;
/** Lane spacing: roomy for a few nodes, tighter for many. */
const laneGap = (n: number) => Math.max(40, Math.min(130, 300 / Math.max(1, n - 1)));
const PAD = { left: 40, right: 16, top: 18, bottom: 30 };
const f = (x: number) => x.toFixed(1);

type Relation = Order | "same";

type Picked = { seq: number; t: number; node: string };
const pick = (e: ClockEvent): Picked => ({ seq: e.seq, t: e.t, node: e.node });

/** In the selected event's causal past or future, or the event itself. */
const inCone = (r: Relation | null) => r === "before" || r === "after" || r === "same";

function relation(a: ClockEvent, b: ClockEvent): Relation {
  return a.seq === b.seq ? "same" : vcCompare(a.vc, b.vc);
}

const RELATION_WORDS: Record<Order, string> = {
  before: "happened before",
  after: "happened after",
  equal: "has the same clock as",
  concurrent: "is concurrent with",
};

/** Why the vector clocks say what they say: the entries that decide it. */
function proof(a: ClockEvent, b: ClockEvent, r: Order): string {
  const nodes = [...new Set([...Object.keys(a.vc), ...Object.keys(b.vc)])].sort();
  const pairs = nodes.map((n) => ({ n, x: a.vc[n] ?? 0, y: b.vc[n] ?? 0 }));
  if (r === "concurrent") {
    const up = pairs.find((p) => p.x > p.y)!;
    const down = pairs.find((p) => p.x < p.y)!;
    return `${up.n}: ${up.x} > ${up.y} but ${down.n}: ${down.x} < ${down.y}, so neither clock is ≤ the other`;
  }
  const sign = r === "before" ? "≤" : "≥";
  return `every entry ${sign} (${pairs.map((p) => `${p.n} ${p.x} ${sign} ${p.y}`).join(", ")}) and they differ`;
}

function eventWords(e: ClockEvent): string {
  if (e.event === "local") return `${e.node}'s local event`;
  if (e.event === "deliver") return `${e.node} receiving ${e.id} from ${e.from}`;
  return e.write !== undefined ? `${e.node} writing ${e.write} (${e.id})` : `${e.node} sending ${e.id} to ${e.to?.join(", ")}`;
}

export function ClocksStage({ series, time }: LabStageProps) {
  const s = series.spacetime as Spacetime | undefined;
  const [wall, setWall] = useState(false);
  // A selection names its event by seq, time and node: when the run changes under it (another
  // lesson step, a Try, an edit in the past), an event that is not the same is not selected.
  const [picked, setPicked] = useState<Picked[]>([]);
  const events = s?.events ?? [];
  const order = s?.params.order ?? "physical";
  const nodes = s?.skews.nodes ?? [];
  const until = Math.max(s?.until ?? 1000, time);
  const LANE = laneGap(nodes.length);
  const H = PAD.top + PAD.bottom + LANE * Math.max(1, nodes.length - 1);
  const laneOf = useMemo(() => new Map(nodes.map((n, i) => [n, i])), [nodes.join(",")]); // eslint-disable-line react-hooks/exhaustive-deps
  const y = (node: string) => PAD.top + LANE * (laneOf.get(node) ?? 0);
  // True time runs 0..the run's end; the wall-clock view spans the readings the nodes made.
  const lo = wall ? Math.min(0, ...events.map((e) => e.pt)) : 0;
  const hi = wall ? Math.max(until, ...events.map((e) => e.pt)) : until;
  const x = scaleLinear().domain([lo, hi]).range([PAD.left, W - PAD.right]);
  const at = (e: ClockEvent) => x(wall ? e.pt : e.t);

  const find = (p: Picked | undefined) => (p === undefined ? undefined : events.find((e) => e.seq === p.seq && e.t === p.t && e.node === p.node));
  const sel = find(picked[0]);
  const other = sel === undefined ? undefined : find(picked[1]);
  const rel = (e: ClockEvent): Relation | null => (sel === undefined ? null : relation(e, sel));

  // Marks and arrows go into a few paths by class (hundreds of events draw as a handful of
  // elements); clicks find the nearest event by position instead of by element.
  const drawn = useMemo(() => {
    const groups: Record<string, string[]> = {};
    const add = (cls: string, d: string) => (groups[cls] ??= []).push(d);
    for (const e of events) {
      if (e.event !== "deliver" || e.src === undefined) continue;
      const from = events[e.src]!;
      const x0 = at(from);
      const x1 = at(e);
      const r = rel(e);
      const r0 = rel(from);
      const dim = sel !== undefined && !(inCone(r) && inCone(r0));
      const cls = `msg${from.pt > e.pt ? " anomaly" : ""}${from.write !== undefined ? " write" : ""}${dim ? " dim" : ""}`;
      add(cls, `M${f(x0)} ${f(y(from.node))}L${f(x1)} ${f(y(e.node))}`);
    }
    // Writes the register lost under the order in force: ringed in red.
    const lost = new Set(lostWrites(events, order).map((e) => e.seq));
    for (const e of events) {
      const cx = at(e);
      const cy = y(e.node);
      const r = rel(e);
      const tone = r === null ? "" : r === "same" ? " picked" : r === "before" ? " past" : r === "after" ? " future" : " dim";
      if (e.write !== undefined) add(`ev write${tone}`, `M${f(cx - 4.5)} ${f(cy - 4.5)}h9v9h-9z`);
      if (lost.has(e.seq)) add("lost", `M${f(cx - 7)} ${f(cy - 7)}l14 14m0 -14l-14 14`);
      else if (e.event === "local") add(`ev local${tone}`, `M${f(cx - 2.5)} ${f(cy)}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0`);
      else add(`ev ${e.event}${tone}`, `M${f(cx - 4)} ${f(cy)}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0`);
    }
    return Object.entries(groups).map(([cls, ds]) => ({ cls, d: ds.join("") }));
    // The drawing follows the events, the view, the axis and the selection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events.length, wall, lo, hi, sel?.seq, other?.seq, laneOf, order]);
  const counts = useMemo(() => (sel === undefined ? null : countRelations(events, sel)), [events.length, sel?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  if (s === undefined) return <p className="hint">The diagram appears once the run starts.</p>;

  const click = (ev: MouseEvent<SVGSVGElement>) => {
    const m = ev.currentTarget.getScreenCTM();
    if (m === null) return;
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    let best: ClockEvent | undefined;
    let d = 12 ** 2;
    for (const e of events) {
      const dd = (at(e) - p.x) ** 2 + (y(e.node) - p.y) ** 2;
      if (dd < d) [best, d] = [e, dd];
    }
    if (best === undefined) return setPicked([]);
    if (sel?.seq === best.seq) return setPicked([]);
    setPicked(sel === undefined ? [pick(best)] : [pick(sel), pick(best)]);
  };

  /** Keyboard and buttons: move the (first) selection to the previous or next event in the run. */
  const step = (by: number) => {
    const k = sel === undefined ? (by > 0 ? -1 : events.length) : events.indexOf(sel);
    const next = events[Math.max(0, Math.min(events.length - 1, k + by))];
    if (next !== undefined) setPicked([pick(next)]);
  };
  const anomalies = s.anomalies;
  return (
    <figure className="clocks-stage">
      <div className="clocks-stage-head">
        <div className="view-switch" role="group" aria-label="Lay events out by">
          <button type="button" aria-pressed={!wall} onClick={() => setWall(false)}>
            True time
          </button>
          <button type="button" aria-pressed={wall} onClick={() => setWall(true)}>
            Wall-clock view
          </button>
        </div>
        <div className="view-switch" role="group" aria-label="Select an event">
          <button type="button" disabled={events.length === 0} onClick={() => step(-1)}>
            ◀ Earlier event
          </button>
          <button type="button" disabled={events.length === 0} onClick={() => step(1)}>
            Later event ▶
          </button>
        </div>
        <p className="hint">
          {wall
            ? `Each event at its node's own clock reading: ${anomalies} ${anomalies === 1 ? "message arrives" : "messages arrive"} before ${anomalies === 1 ? "it was" : "they were"} sent (red).`
            : `Each event at the moment it happened${anomalies > 0 ? "; red: received before it was sent, by the clocks" : ""}. Click an event for its clocks and its causal past and future; click another to compare.`}
        </p>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Space-time diagram, ${wall ? "by each node's clock" : "in true time"}: ${nodes.length} nodes, ${events.length} events, ${events.filter((e) => e.event === "send").length} messages sent, ${anomalies} received before they were sent by the clocks${sel !== undefined ? `; selected: ${eventWords(sel)}` : ""}`}
        onClick={click}
      >
        {x.ticks(8).map((v) => (
          <g key={v} className="tick">
            <line x1={x(v)} x2={x(v)} y1={PAD.top - 10} y2={H - PAD.bottom + 6} />
            <text x={x(v)} y={H - 8} textAnchor="middle">
              {(v / 1000).toFixed(Math.abs(hi - lo) < 4000 ? 1 : 0)} s
            </text>
          </g>
        ))}
        {nodes.map((n) => (
          <g key={n} className="lane">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(n)} y2={y(n)} />
            <text x={PAD.left - 8} y={y(n)} dy="0.32em" textAnchor="end">
              {n}
            </text>
          </g>
        ))}
        {!wall && <line className="now" x1={x(time)} x2={x(time)} y1={PAD.top - 10} y2={H - PAD.bottom + 6} />}
        {drawn.map(({ cls, d }) => (
          <path key={cls} className={cls} d={d} />
        ))}
      </svg>
      <figcaption className="clocks-legend">
        <Key label="send">
          <circle className="ev send" cx="5" cy="5" r="4" />
        </Key>
        <Key label="receive">
          <circle className="ev deliver" cx="5" cy="5" r="4" />
        </Key>
        <Key label="local">
          <circle className="ev local" cx="5" cy="5" r="2.5" />
        </Key>
        <Key label="write">
          <rect className="ev write" x="1" y="1" width="8" height="8" />
        </Key>
        <Key label={`write lost (by ${order === "physical" ? "physical time" : "HLC"})`}>
          <path className="lost" d="M1 1l8 8m0 -8l-8 8" />
        </Key>
        {sel !== undefined && (
          <span>
            <span className="swatch past" /> causal past <span className="swatch future" /> future <span className="swatch dim" /> concurrent
          </span>
        )}
      </figcaption>
      {sel !== undefined && (
        <section className="clocks-picked" aria-label="The selected event" aria-live="polite">
          <h3>{eventWords(sel)}</h3>
          <dl>
            <div>
              <dt>true time</dt>
              <dd>{(sel.t / 1000).toFixed(3)} s</dd>
            </div>
            <div>
              <dt>its clock read</dt>
              <dd>{(sel.pt / 1000).toFixed(3)} s</dd>
            </div>
            <div>
              <dt>Lamport</dt>
              <dd>{sel.lamport}</dd>
            </div>
            <div>
              <dt>vector</dt>
              <dd>{vcText(sel.vc)}</dd>
            </div>
            <div>
              <dt>HLC (l, c)</dt>
              <dd>{hlcText(sel.hlc)}</dd>
            </div>
          </dl>
          {counts !== null && (
            <p>
              {counts.before} events in its causal past, {counts.after} in its future, {counts.concurrent} concurrent with it.
            </p>
          )}
          {other !== undefined && <Comparison a={sel} b={other} />}
          <button type="button" onClick={() => setPicked([])}>
            Clear the selection
          </button>
        </section>
      )}
    </figure>
  );
}

/** One entry of the legend: a mark as the diagram draws it, and its name. */
function Key({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span>
      <svg viewBox="0 0 10 10" aria-hidden="true">
        {children}
      </svg>{" "}
      {label}
    </span>
  );
}

function countRelations(events: readonly ClockEvent[], sel: ClockEvent): Record<Order, number> {
  const out: Record<Order, number> = { before: 0, after: 0, equal: 0, concurrent: 0 };
  for (const e of events) if (e.seq !== sel.seq) out[vcCompare(e.vc, sel.vc)]++;
  return out;
}

/** Two events side by side: what each clock says about them, and why. */
function Comparison({ a, b }: { a: ClockEvent; b: ClockEvent }) {
  const r = vcCompare(a.vc, b.vc);
  const lam = a.lamport < b.lamport ? "<" : a.lamport > b.lamport ? ">" : "=";
  const h = hlcCompare(a.hlc, b.hlc);
  const wallFirst = a.pt < b.pt ? "first" : a.pt > b.pt ? "second" : "neither";
  return (
    <div className="clocks-compare">
      <p>
        <strong>
          {eventWords(a)} {RELATION_WORDS[r]} {eventWords(b)}
        </strong>
        {r !== "equal" && <>: vectors {vcText(a.vc)} and {vcText(b.vc)}, {proof(a, b, r)}.</>}
      </p>
      <p>
        Lamport {a.lamport} {lam} {b.lamport}
        {r === "concurrent" ? ": Lamport orders them anyway, and cannot say they are concurrent." : r === "before" || r === "after" ? ": as causality requires." : "."}{" "}
        HLC {hlcText(a.hlc)} {h < 0 ? "<" : h > 0 ? ">" : "="} {hlcText(b.hlc)}.{" "}
        {wallFirst === "neither"
          ? "Their clocks read the same."
          : (wallFirst === "first") === (r === "before") || r === "concurrent" || r === "equal"
            ? `By the wall clocks the ${wallFirst} came first.`
            : `By the wall clocks the ${wallFirst} came first: the wrong way round.`}
      </p>
    </div>
  );
}
