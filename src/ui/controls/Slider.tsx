// A slider that records one action when the learner settles on a value, not one per step:
// on release of the pointer, on leaving the control, or when arrow keys have rested for a
// moment. Its label follows the value being chosen at once; the run catches up on settling.
// The fault palette and the labs' panels share it.

import { useEffect, useRef, useState } from "react";

/** Wall-clock ms of rest after a key before a keyboard change counts as settled (the page's, never the run's). */
const KEY_SETTLE_MS = 450;

export interface SliderProps {
  /** The label for a value: it follows the thumb. */
  label(value: number): string;
  min: number;
  max: number;
  step: number;
  /** The value the run has now. */
  value: number;
  /** The learner settled on a new value. */
  onSettle(value: number): void;
  /** The value being chosen before it settles, and null once the run has it: for views that preview it. */
  onDraft?(value: number | null): void;
  className?: string;
}

export function Slider(p: SliderProps) {
  const [draft, setDraft] = useState<number | null>(null);
  const pointer = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ draft, p });
  latest.current = { draft, p };

  useEffect(() => {
    latest.current.p.onDraft?.(draft);
  }, [draft]);
  // Once the run reports the chosen value, show the run's value again.
  useEffect(() => {
    if (draft !== null && draft === p.value && timer.current === null && !pointer.current) setDraft(null);
  }, [p.value, draft]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
    latest.current.p.onDraft?.(null);
  }, []);

  const settle = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const { draft: d, p: props } = latest.current;
    if (d === null) return;
    if (d === props.value) setDraft(null);
    else props.onSettle(d);
  };

  const shown = draft ?? p.value;
  return (
    <label className={`slider ${p.className ?? ""}`}>
      <span>{p.label(shown)}</span>
      <input
        type="range"
        min={p.min}
        max={p.max}
        step={p.step}
        value={shown}
        aria-valuetext={p.label(shown)}
        onChange={(e) => {
          setDraft(Number(e.target.value));
          if (pointer.current) return;
          if (timer.current !== null) clearTimeout(timer.current);
          timer.current = setTimeout(settle, KEY_SETTLE_MS);
        }}
        onPointerDown={() => {
          pointer.current = true;
        }}
        onPointerUp={() => {
          pointer.current = false;
          settle();
        }}
        onBlur={settle}
        // Arrow keys move the thumb, not the timeline.
        onKeyDown={(e) => {
          if (e.key !== " ") e.stopPropagation();
        }}
      />
    </label>
  );
}
