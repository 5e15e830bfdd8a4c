// Narration: the lab's notes as a scrolling log, each line a link to its moment.
import { useEffect, useRef } from "react";
import { seek, usePlayground } from "../../store/playground.ts";
import { formatTime } from "./Timeline.tsx";

export function Narration() {
  const notes = usePlayground((s) => s.notes);
  const end = useRef<HTMLLIElement>(null);
  const last = notes.at(-1)?.seq;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "nearest" });
  }, [last]);
  return (
    <section className="narration" aria-label="Narration">
      <h2>What happened</h2>
      <ol aria-live="polite" aria-relevant="additions">
        {notes.map((n) => (
          <li key={n.seq}>
            <button type="button" className="at" onClick={() => void seek(n.t)} aria-label={`Seek to ${formatTime(n.t)}`}>
              {formatTime(n.t)}
            </button>{" "}
            <span>{n.text}</span>
          </li>
        ))}
        <li ref={end} aria-hidden="true" className="end" />
      </ol>
    </section>
  );
}
