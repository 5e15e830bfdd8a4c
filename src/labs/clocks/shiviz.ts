// A clocks-lab run as a ShiViz log (https://bestchai.bitbucket.io/shiviz/, Beschastnikh et al.),
// so a learner can take a run's vector clocks to the real tool (`splitbrain run --shiviz`).
//
// ShiViz reads a log with a regular expression; its default is SHIVIZ_PARSER: each event is a
// line of description, then a line `<host> <vector clock as JSON>`. The log starts with that
// parser and an empty line, the header ShiViz reads when a log file is opened (its first line
// becomes the parser, its second the delimiter between executions: none); pasted into its text
// box instead, the two lines match no event and are passed over.
//
// ShiViz is strict, and the export is written to its rules: every clock event of the run is an
// event of the log, in trace order; a host's own entry starts at 1 and rises by exactly 1 at
// each of its events; every host a clock names has events of its own; a host name has no white
// space; a clock is JSON on one line; a description is one line. The lab's vector clocks
// already omit zero entries and bump the node's own entry at every event (clocks.ts), so the
// clocks are written as they are, under each node's host name (`shivizHost`).

import type { TraceEvent } from "../../sim/trace.ts";
import { hlcText, type VC } from "./clocks.ts";
import { clockEvent, type ClockEvent } from "./series.ts";

/** ShiViz's default log-parsing expression. */
export const SHIVIZ_PARSER = String.raw`(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`;

/** Characters a host name cannot hold: "%" (the escape itself), white space, lone surrogates. */
const UNSAFE = /[%\s]|[\uD800-\uDFFF]/gu;

/**
 * A node's host name in ShiViz: its id, with "%", white space and lone surrogates escaped
 * ("a b" is "a%20b"), and the first letter escaped of a name a plain JavaScript object already
 * has ("toString" is "%74oString"), which ShiViz's host tables would take for a host it knows.
 * Distinct ids give distinct names.
 */
export function shivizHost(id: string): string {
  const h = id.replace(UNSAFE, (c) => (c.length === 1 && c >= "\uD800" && c <= "\uDFFF" ? `%u${c.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(c)));
  return h in Object.prototype ? `%${h.charCodeAt(0).toString(16).toUpperCase()}${h.slice(1)}` : h;
}

/** A description line: the line breaks a JavaScript `.` stops at become spaces. */
const oneLine = (text: string) => text.replace(/[\n\r\u2028\u2029]/g, " ");

function clockJson(vc: VC): string {
  const out: Record<string, number> = {};
  for (const [node, n] of Object.entries(vc)) if (n > 0) Object.defineProperty(out, shivizHost(node), { value: n, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(out);
}

function description(e: ClockEvent, writes: ReadonlyMap<string, string>): string {
  const host = shivizHost(e.node);
  const to = (e.to ?? []).map(shivizHost).join(", ");
  let what: string;
  if (e.event === "local") what = `${host} local event`;
  else if (e.event === "send") what = e.write !== undefined ? `${host} writes ${e.write} (sends ${e.id ?? "?"} to ${to})` : `${host} sends ${e.id ?? "?"} to ${to}`;
  else {
    const write = e.id === undefined ? undefined : writes.get(e.id);
    what = `${host} receives ${e.id ?? "?"} from ${shivizHost(e.from ?? "?")}${write === undefined ? "" : ` (the write ${write})`}`;
  }
  return oneLine(`${what} — Lamport ${e.lamport}, HLC ${hlcText(e.hlc)}, physical clock ${e.pt} ms`);
}

/** The run's clock events as a ShiViz log, in trace order (by seq). */
export function shivizLog(events: readonly ClockEvent[]): string {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const writes = new Map<string, string>();
  for (const e of sorted) if (e.event === "send" && e.id !== undefined && e.write !== undefined) writes.set(e.id, e.write);
  const lines = [SHIVIZ_PARSER, ""];
  for (const e of sorted) lines.push(description(e, writes), `${shivizHost(e.node)} ${clockJson(e.vc)}`);
  return lines.join("\n") + "\n";
}

/** The same from raw trace events (their `clock` events), as the CLI or a saved trace has them. */
export function shivizFromTrace(events: readonly TraceEvent[]): string {
  return shivizLog(events.filter((e) => e.kind === "clock").map(clockEvent));
}
