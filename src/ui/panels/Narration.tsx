// Narration: the lab's notes as a scrolling log, each line a link to its moment. It opens in
// the "What happened" drawer, whose heading it shares.
import { useEffect, useRef } from "react";
import { seek } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";
import { formatTime } from "./Timeline.tsx";

export function Narration() {
  const notes = usePlayground((s) => s.notes);
  const list = useRef<HTMLOListElement>(null);
  const last = notes.at(-1)?.seq;
  useEffect(() => {
    // Scroll the log itself, never the page: scrollIntoView would drag the window down.
    const ol = list.current;
    if (ol !== null) ol.scrollTop = ol.scrollHeight;
  }, [last]);
  return (
    <section className="narration" aria-label="What happened">
      <ol ref={list} aria-live="polite" aria-relevant="additions">
        {notes.map((n) => (
          <li key={n.seq}>
            <button type="button" className="at" onClick={() => void seek(n.t)} aria-label={`Seek to ${formatTime(n.t)}`}>
              {formatTime(n.t)}
            </button>{" "}
            <span className={n.action ? "act" : undefined}>{n.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
