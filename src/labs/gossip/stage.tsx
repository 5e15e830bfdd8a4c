// The gossip lab's stage: agreement over the whole run. The line is the increments made; the
// band spans the lowest to the highest total a running node reports — wide while news spreads
// or a partition splits the cluster, closing to the line when every node agrees.
import { scaleLinear } from "d3-scale";
import { area, curveStepAfter, line } from "d3-shape";
import type { LabStageProps } from "../ui-types.ts";
import type { Agreement, AgreementPoint } from "./series.ts";

const W = 640;
const H = 300;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export function AgreementStage({ series, time, seek }: LabStageProps) {
  const s = series.agreement as Agreement | undefined;
  const seen = (s?.points ?? []).filter((p) => p.t <= time);
  // The last state holds until now: carry it to the current time.
  const tail = seen[seen.length - 1];
  const points = tail !== undefined && tail.t < time ? [...seen, { ...tail, t: time }] : seen;
  const top = Math.max(1, ...points.map((p) => Math.max(p.made, p.hi ?? 0)));
  const x = scaleLinear().domain([0, Math.max(1000, time)]).range([PAD.left, W - PAD.right]);
  const y = scaleLinear().domain([0, top]).nice().range([H - PAD.bottom, PAD.top]);
  const known = points.filter((p): p is AgreementPoint & { lo: number; hi: number } => p.lo !== null && p.hi !== null);
  const band = area<AgreementPoint & { lo: number; hi: number }>()
    .x((p) => x(p.t))
    .y0((p) => y(p.lo))
    .y1((p) => y(p.hi))
    .curve(curveStepAfter)(known);
  const made = line<AgreementPoint>()
    .x((p) => x(p.t))
    .y((p) => y(p.made))
    .curve(curveStepAfter)(points);
  const last = points[points.length - 1];
  const apart = last?.lo !== null && last?.lo !== undefined && last.hi !== null && last.hi !== last.lo;
  return (
    <figure className="gossip-stage">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Agreement over time: ${last?.made ?? 0} increments made; the running nodes report ${last?.lo ?? "—"} to ${last?.hi ?? "—"}`}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const t = x.invert(PAD.left + ((e.clientX - r.left) / r.width) * W - PAD.left);
          if (Number.isFinite(t)) seek(Math.max(0, Math.min(time, t)));
        }}
      >
        {y.ticks(5).map((v) => (
          <g key={v} className="tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {x.ticks(6).map((v) => (
          <text key={v} className="tick" x={x(v)} y={H - 8} textAnchor="middle">
            {(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)} s
          </text>
        ))}
        {band !== null && <path className="band" d={band} />}
        {made !== null && <path className="made" d={made} />}
      </svg>
      <figcaption>
        <span className="key made">increments made</span> <span className="key band">lowest to highest total of the running nodes</span>
        {apart ? " — the nodes disagree now." : points.length > 0 ? " — every running node agrees now." : ""} Click to go to a moment.
      </figcaption>
    </figure>
  );
}
