// What the learner clicked: a node's state as its lab shows it, or a message's contents.
import { select } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";
import { formatTime } from "./Timeline.tsx";

export function Details() {
  // Only what is selected is read: nothing selected, the panel stays still as the run plays.
  const row = usePlayground((s) => (s.selected === null ? undefined : s.rows.find((r) => r.id === s.selected)));
  const msg = usePlayground((s) => (s.selected === null ? undefined : s.messages.find((m) => m.key === s.selected)));
  if (row === undefined && msg === undefined) return null;
  return (
    <section className="details" aria-label="Selection">
      <h2>
        {row !== undefined ? `Node ${row.id}` : `Message #${msg!.id}: ${msg!.kind}`}
        <button type="button" className="close" onClick={() => select(null)} aria-label="Close">
          ×
        </button>
      </h2>
      {msg !== undefined && (
        <p>
          {msg.from} → {msg.to}, sent at {formatTime(msg.sentAt)}, {msg.state === "falling" ? `dropped (${msg.reason ?? "lost"})` : `arrives at ${formatTime(msg.arriveAt)}`}
        </p>
      )}
      <pre>{JSON.stringify(row !== undefined ? row.view : msg!.msg, null, 2)}</pre>
    </section>
  );
}
