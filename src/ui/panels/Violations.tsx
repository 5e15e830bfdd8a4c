// The lab's checks, live: what they watch, and every violation they found so far — its message,
// a button to its moment, and the events that make it (each a link to its own moment, while the
// page still holds it). One panel for every lab; the checks run as the events arrive
// (labs/checking.ts), so it never waits for the end of a run and never stops on a long one.

import type { TraceEvent } from "../../sim/trace.ts";
import { currentPlayer, seek } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";
import { formatTime } from "./Timeline.tsx";

/** One line a learner can read: when, who, what (a role change, an append, a commit…). */
export function describeEvent(e: TraceEvent): string {
  const what = e.kind === "role" && typeof e.role === "string" ? e.role : e.kind;
  const parts = [formatTime(e.t), typeof e.node === "string" ? e.node : "", what];
  if (typeof e.term === "number") parts.push(`term ${e.term}`);
  if (typeof e.index === "number") parts.push(`index ${e.index}`);
  return parts.filter((x) => x !== "").join(" · ");
}

/** The event with this seq, if the page still holds it (the trace keeps a recent window). */
function eventAt(events: readonly TraceEvent[], seq: number): TraceEvent | undefined {
  const first = events[0]?.seq ?? 0;
  return events[seq - first];
}

export function Violations() {
  const lab = usePlayground((s) => s.lab);
  const found = usePlayground((s) => s.violations);
  // Re-read the events whenever the trace moves (they are the player's, kept as a window);
  // with nothing found there is nothing to read them for.
  usePlayground((s) => (s.violations.length > 0 ? s.events : -1));
  if (lab === null || lab.checks.length === 0) return null;
  const events = currentPlayer()?.trace.events ?? [];
  const titles = new Map(lab.checks.map((c) => [c.id, c.title]));
  if (found.length === 0) {
    return (
      <section className="violations ok" aria-label="Checks">
        <h2>Checks</h2>
        <p>No property broken so far.</p>
        <details>
          <summary>What the checks watch</summary>
          <ul>
            {lab.checks.map((c) => (
              <li key={c.id}>{c.title}</li>
            ))}
          </ul>
        </details>
      </section>
    );
  }
  return (
    <section className="violations" role="alert" aria-label="Violations">
      <h2>
        {found.length} {found.length === 1 ? "violation" : "violations"}
      </h2>
      <ul>
        {found.map((v, k) => (
          <li key={`${v.check}-${v.t}-${k}`}>
            <span className="check">{titles.get(v.check) ?? v.check}:</span> <span className="msg">{v.message}</span>{" "}
            <button type="button" onClick={() => void seek(v.t)} aria-label={`show (at ${formatTime(v.t)})`} title={`Go to ${formatTime(v.t)}`}>
              show
            </button>
            <ol className="evidence" aria-label="The events that make it">
              {v.events.map((seq) => {
                const e = eventAt(events, seq);
                return (
                  <li key={seq}>
                    {e === undefined ? (
                      `event #${seq}`
                    ) : (
                      <button type="button" className="link" onClick={() => void seek(e.t)}>
                        {describeEvent(e)}
                      </button>
                    )}
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ul>
    </section>
  );
}
