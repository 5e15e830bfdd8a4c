// What the page exposes as `window.splitbrain`: a small read-only window on the current run,
// for the browser tests and for the curious with devtools open. Everything it returns is
// plain data (a copy), so nothing outside the page can drive the run through it.

import type { HostKind } from "../runtime/types.ts";
import type { Scenario } from "../scenario/types.ts";
import type { NodeView } from "../sim/types.ts";

/** One node as the page shows it: its id and what the lab's `view` returned. */
export type NodeRow = NodeView & { id: string };

export interface SplitbrainApi {
  /** Ids of every registered lab, in registry order. */
  labs(): string[];
  /** The scenario being run. */
  scenario(): Scenario;
  /** Virtual ms the run has reached (every event at or before it is processed). */
  time(): number;
  /** The hash of the trace so far (see sim/trace.ts): equal hashes, equal runs. */
  traceHash(): string;
  /** The nodes, in scenario order (empty until the run has started). */
  nodes(): NodeRow[];
  /** Web Workers the page has started and not terminated. */
  workers(): number;
  host(): HostKind;
  /** Why the run could not start or stopped, or null. */
  error(): string | null;
}

declare global {
  interface Window {
    splitbrain?: SplitbrainApi;
  }
}
