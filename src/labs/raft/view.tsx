// The Raft lab's own panel: who holds which role in which term and whose election timer runs
// out first; every node's log, coloured by term, with what is committed and what the leader
// knows of each follower; a box to send commands; the three safety rules as switches and the
// timing. (The safety checks run live for every lab: the page's generic checks panel.)
//
// The layout is computed by plain functions over the node views (`raftNode`, `logRows`, ...);
// the components only draw it. A lab never imports the store: everything arrives as props.

import { memo, useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import type { TraceEvent } from "../../sim/trace.ts";
import type { NodeView } from "../../sim/types.ts";
import type { LabViewProps } from "../ui-types.ts";
import { commandText, type Entry, type Role, type Rules } from "./protocol.ts";
import type { RaftParams } from "./params.ts";
import { raftNode, type RaftNode } from "./node-view.ts";
import { Slider } from "../../ui/controls/Slider.tsx";
import "./view.css";

/** The client id the command box sends as; its sequence numbers continue across reloads. */
export const LEARNER = "learner";

/** Term colours cycle through this many swatches (view.css defines them, light and dark). */
const TERM_SWATCHES = 6;

/**
 * How much of the election timer is left, 0..1; null when there is none (a leader, a node
 * that is down). The node's clock is taken to be virtual time: clock skew is not drawn.
 */
export function timerLeft(n: RaftNode, time: number): number | null {
  if (!n.up || n.role === "leader" || n.electionTimeout <= 0) return null;
  return Math.min(1, Math.max(0, (n.electionDeadline - time) / n.electionTimeout));
}

/** Rules as the run has them now (parsed params: a rule the scenario leaves out is on). */
export function rulesOf(params: Record<string, unknown>): Rules {
  return (params as RaftParams).rules;
}

/**
 * The sequence number for the learner's next command. The highest one seen, not a count: the
 * page keeps only a window of recent trace events, and a reused number would be taken for a
 * retry and silently ignored by the state machine, while a skipped one is harmless.
 */
export function nextLearnerSeq(events: readonly TraceEvent[], issued = 0): number {
  let count = 0;
  let max = issued;
  for (const e of events) {
    if (e.kind !== "command" || typeof e.cmd !== "object" || e.cmd === null) continue;
    const c = e.cmd as { client?: unknown; seq?: unknown };
    if (c.client !== LEARNER) continue;
    count++;
    if (typeof c.seq === "number") max = Math.max(max, c.seq);
  }
  return Math.max(count, max) + 1;
}

/** The leader whose nextIndex/matchIndex the log panel shows: the one in the highest term. */
export function currentLeader(nodes: RaftNode[]): RaftNode | null {
  let best: RaftNode | null = null;
  for (const n of nodes) if (n.up && n.role === "leader" && (best === null || n.term > best.term)) best = n;
  return best;
}

export function termSwatch(term: number): number {
  return ((term % TERM_SWATCHES) + TERM_SWATCHES) % TERM_SWATCHES;
}

export function formatMs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(3)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function RaftView({ nodes, time, params, act, events }: LabViewProps) {
  // The page hands the same rows while no node changed: then only the timers (time) redraw.
  const rafts = useMemo(() => nodes.map((n) => raftNode(n.id, n.view)), [nodes]);
  const leader = useMemo(() => currentLeader(rafts), [rafts]);
  // The command box needs only the ids and where a command goes by default: it stays still
  // while the nodes' terms and logs change.
  const idsKey = rafts.map((n) => n.id).join("\u0000");
  const ids = useMemo(() => rafts.map((n) => n.id), [idsKey]);
  const fallback = leader?.id ?? rafts.find((n) => n.up)?.id ?? rafts[0]?.id ?? "";
  return (
    <div className="raft">
      <NodeTable nodes={rafts} time={time} />
      <LogPanel nodes={rafts} leader={leader} />
      <CommandBox ids={ids} fallback={fallback} events={events} act={act} />
      <RuleSwitches rules={rulesOf(params)} act={act} />
      <Timing params={params} act={act} />
    </div>
  );
}

function NodeTable({ nodes, time }: { nodes: RaftNode[]; time: number }) {
  return (
    <table className="lab-table raft-nodes">
      <caption>Roles, terms, votes and election timers</caption>
      <thead>
        <tr>
          <th scope="col">node</th>
          <th scope="col">role</th>
          <th scope="col">term</th>
          <th scope="col">voted</th>
          <th scope="col">timer</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => {
          const left = timerLeft(n, time);
          return (
            <tr key={n.id} data-role={n.up ? n.role : undefined} data-status={n.status}>
              <th scope="row">{n.id}</th>
              <td>{n.up ? <span className="raft-role">{n.role}</span> : n.status}</td>
              <td className="num">{n.up ? n.term : "—"}</td>
              <td>{n.up ? (n.votedFor ?? "—") : "—"}</td>
              <td>
                {n.up ? (
                  <span className="timer">
                    <TimerRing left={left} leader={n.role === "leader"} />
                    <span className="timer-text">{left === null ? "leads" : `${Math.max(0, Math.round(n.electionDeadline - time))} ms`}</span>
                  </span>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The election timer as a ring that drains as the deadline nears; a leader's is full (it has none). */
function TimerRing({ left, leader }: { left: number | null; leader: boolean }) {
  const r = 7;
  const f = leader ? 1 : (left ?? 0);
  return (
    <svg className="ring" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
      <circle className="track" cx="9" cy="9" r={r} />
      {f > 0 && (
        // pathLength 1 makes the dash the fraction left; rotated so it drains from twelve o'clock.
        <circle className="arc" cx="9" cy="9" r={r} pathLength={1} strokeDasharray={`${f} 1`} transform="rotate(-90 9 9)" />
      )}
    </svg>
  );
}

export interface LogCell {
  index: number;
  term: number;
  op: string;
  title: string;
  committed: boolean;
}

export interface LogRow {
  node: RaftNode;
  cells: LogCell[];
  /** What the leader knows of this follower, when there is a leader and this is not it. */
  next: number | null;
  match: number | null;
}

export function logRows(nodes: RaftNode[], leader: RaftNode | null): LogRow[] {
  return nodes.map((n) => ({
    node: n,
    cells: n.log.map((e, k) => {
      const index = k + 1;
      const committed = index <= n.commitIndex;
      return {
        index,
        term: e.term,
        op: e.cmd.op,
        title: `${index}: ${commandText(e.cmd)} — term ${e.term}, ${committed ? "committed" : "not committed"}`,
        committed,
      };
    }),
    next: leader !== null && leader !== n ? (leader.nextIndex?.[n.id] ?? null) : null,
    match: leader !== null && leader !== n ? (leader.matchIndex?.[n.id] ?? null) : null,
  }));
}

const LogPanel = memo(function LogPanel({ nodes, leader }: { nodes: RaftNode[]; leader: RaftNode | null }) {
  const rows = logRows(nodes, leader);
  const longest = Math.max(0, ...rows.map((r) => r.cells.length));
  const scroller = useRef<HTMLDivElement>(null);
  // New entries arrive at the right: keep them in sight as the logs grow.
  useEffect(() => {
    const el = scroller.current;
    if (el !== null) el.scrollLeft = el.scrollWidth;
  }, [longest]);
  const headingId = useId();
  return (
    <section className="raft-logs" aria-labelledby={headingId}>
      <h3 id={headingId}>Logs</h3>
      <p className="raft-hint">
        Colour and small number: the entry's term. <span className="key committed">solid</span> committed,{" "}
        <span className="key">dashed</span> not yet.
        {leader !== null && ` next · match: leader ${leader.id}'s nextIndex and matchIndex for each follower.`}
      </p>
      <div
        className="log-scroll"
        ref={scroller}
        tabIndex={0}
        role="group"
        aria-label="Logs, scrollable"
        // Arrows scroll the logs here; the page would otherwise take them as step back/forward.
        onKeyDown={(e) => ["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key) && e.stopPropagation()}
      >
        {rows.map((r) => (
          <div className="log-row" key={r.node.id} data-role={r.node.up ? r.node.role : undefined} data-status={r.node.status}>
            <div className="log-head">
              <span className="who">{r.node.id}</span>
              {!r.node.up ? (
                <span className="meta">{r.node.status}</span>
              ) : (
                <span className="meta">
                  commit {r.node.commitIndex}
                  {r.node === leader && " · leader"}
                  {r.next !== null && ` · next ${r.next}`}
                  {r.match !== null && ` · match ${r.match}`}
                  {r.cells.length === 0 && " · log empty"}
                </span>
              )}
            </div>
            {r.node.up && r.cells.length > 0 && (
              <ol className="log-cells" aria-label={`${r.node.id}'s log`}>
                {r.cells.map((c) => (
                  <li
                    key={c.index}
                    className={c.committed ? "cell committed" : "cell"}
                    data-swatch={termSwatch(c.term)}
                    title={c.title}
                  >
                    <span className="t">
                      <span className="vh">entry {c.index}, term </span>
                      {c.term}
                    </span>
                    <span className="op">{c.op}</span>
                    <span className="vh">{c.committed ? ", committed" : ", not committed"}</span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        ))}
      </div>
    </section>
  );
});

const CommandBox = memo(function CommandBox({
  ids: nodeIds,
  fallback,
  events,
  act,
}: {
  ids: string[];
  /** Where a command goes unless the learner picks a node: the leader, else a node that is up. */
  fallback: string;
  events: readonly TraceEvent[];
  act: LabViewProps["act"];
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [op, setOp] = useState("");
  // Highest seq sent from this panel: the trace is replayed after each act, and this keeps a
  // quick second submit from reusing a number before the replay has recorded the first.
  const issued = useRef(0);
  const target = chosen ?? fallback;
  const ids = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = op.trim();
    if (text === "" || target === "") return;
    const seq = nextLearnerSeq(events, issued.current);
    issued.current = seq;
    act({ do: "command", node: target, cmd: { client: LEARNER, seq, op: text } });
    setOp("");
  };
  return (
    <form className="raft-command" onSubmit={submit} aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>Send a command</h3>
      <div className="row">
        <label className="vh" htmlFor={`${ids}-node`}>
          Node
        </label>
        <select id={`${ids}-node`} value={target} onChange={(e) => setChosen(e.target.value)}>
          {nodeIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <label className="vh" htmlFor={`${ids}-op`}>
          Command
        </label>
        <input
          id={`${ids}-op`}
          type="text"
          value={op}
          placeholder="set x=3"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setOp(e.target.value)}
        />
        <button type="submit" disabled={op.trim() === ""}>
          Submit
        </button>
      </div>
      <p className="raft-hint">A follower forwards it to the leader it knows; a node that knows none refuses it.</p>
    </form>
  );
});

const RULES: { key: keyof Rules; name: string; why: string }[] = [
  {
    key: "electionRestriction",
    name: "Election restriction (§5.4.1)",
    why: "Vote only for a candidate whose log is at least as up to date. Off: a stale node can win and overwrite committed entries.",
  },
  {
    key: "currentTermCommit",
    name: "Commit by current-term entries only (§5.4.2)",
    why: "Count replicas only for entries of the leader's own term. Off: Figure 8, a committed entry can be overwritten.",
  },
  {
    key: "persistVote",
    name: "Persist votedFor across a crash",
    why: "Off: a node that restarts forgets its vote and can vote twice in one term, so two leaders can win it.",
  },
];

const RuleSwitches = memo(function RuleSwitches({ rules, act }: { rules: Rules; act: LabViewProps["act"] }) {
  const ids = useId();
  // The box shows the click at once; the run's params catch up after the replay the action
  // starts, and whatever they then say wins.
  const [pending, setPending] = useState<Partial<Rules>>({});
  const rulesKey = `${rules.electionRestriction}${rules.currentTermCommit}${rules.persistVote}`;
  useEffect(() => setPending({}), [rulesKey]);
  const shown = { ...rules, ...pending };
  return (
    <fieldset className="raft-rules">
      <legend>Safety rules</legend>
      {RULES.map((r) => (
        <div className="rule" key={r.key}>
          <input
            id={`${ids}-${r.key}`}
            type="checkbox"
            checked={shown[r.key]}
            aria-describedby={`${ids}-${r.key}-why`}
            onChange={(e) => {
              const value = { ...shown, [r.key]: e.target.checked };
              setPending(value);
              act({ do: "set", path: "params.rules", value });
            }}
          />
          <label htmlFor={`${ids}-${r.key}`}>{r.name}</label>
          <p id={`${ids}-${r.key}-why`} className="why">
            {r.why}
          </p>
        </div>
      ))}
    </fieldset>
  );
});

/**
 * The election timeout range and the heartbeat (§5.2, §9.3): narrow the range and elections
 * split more often; a heartbeat near the timeout lets followers time out under a live leader.
 * Each slider records one `set` when the learner settles on a value.
 */
const Timing = memo(function Timing({ params, act }: { params: Record<string, unknown>; act: LabViewProps["act"] }) {
  // Params arrive with the run; before it starts there is nothing to adjust.
  if (!Array.isArray(params.electionTimeout) || typeof params.heartbeat !== "number") return null;
  const [lo, hi] = params.electionTimeout as [number, number];
  const heartbeat = params.heartbeat;
  return (
    <fieldset className="raft-timing">
      <legend>Timing</legend>
      <Slider label={(v) => `election timeout from ${v} ms`} min={10} max={1000} step={5} value={lo} onSettle={(v) => act({ do: "set", path: "params.electionTimeout", value: [v, Math.max(v, hi)] })} />
      <Slider label={(v) => `election timeout to ${v} ms`} min={10} max={1000} step={5} value={hi} onSettle={(v) => act({ do: "set", path: "params.electionTimeout", value: [Math.min(lo, v), v] })} />
      <Slider label={(v) => `heartbeat every ${v} ms`} min={5} max={500} step={5} value={heartbeat} onSettle={(v) => act({ do: "set", path: "params.heartbeat", value: v })} />
      <p className="why">Each node draws its timeout anew from this range whenever it resets its timer; a narrow range makes ties, and split votes, likely.</p>
    </fieldset>
  );
});
