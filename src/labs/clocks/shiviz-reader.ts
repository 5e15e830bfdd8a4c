// ShiViz's own reading of a log, rule for rule, so the tests can hold the clocks lab's export
// (shiviz.ts) to what the real tool accepts. It follows ShiViz's source (DistributedClocks/shiviz:
// js/shiviz.js, js/model/parser.js, vectorTimestamp.js, modelGraph.js):
//
// - A log file's first line is the parser (ShiViz wraps it in ^…$, multiline), its second the
//   delimiter between executions (empty: one execution), the log the rest. Pasted, the whole
//   text is the log and the parser is the default.
// - The parser runs over the trimmed log (global, multiline); each match is one event: its
//   `clock` must be JSON, and name the event's `host`; entries that are 0 are dropped.
// - Each host's events, by their own entry, must be numbered 1, 2, 3, … with no gap or repeat.
// - Every host a clock names must have events, and the entry must be one of that host's.
//
// And what ShiViz does not say but a learner would trip on: text the parser passed over
// (`passedOver`: a description broken over two lines leaves a line that is no event), a host
// name that a plain JavaScript object already has ("toString": ShiViz's host tables break on
// it), a host name with white space, and a host's clock going down at one of its events.

import type { ClockEvent } from "./series.ts";
import { SHIVIZ_PARSER, shivizHost } from "./shiviz.ts";

export type ShivizEvent = {
  /** The description's line in the log ShiViz parses (1-based; a file's log starts after its two header lines). */
  line: number;
  text: string;
  host: string;
  clock: Record<string, number>;
};

/**
 * What ShiViz makes of a log: the parser it used, the events, the lines it passed over (no
 * event's: a pasted log's header, or half of a description broken in two), and the problems
 * that make ShiViz refuse the log or draw it wrong.
 */
export type ShivizReading = { parser: string; events: ShivizEvent[]; passedOver: { line: number; text: string }[]; problems: string[] };

export function readShiviz(file: string, as: "file" | "pasted" = "file"): ShivizReading {
  const problems: string[] = [];
  let parser = SHIVIZ_PARSER;
  let log = file;
  if (as === "file") {
    const [first = "", second] = file.split("\n", 2);
    if (second === undefined) return { parser, events: [], passedOver: [], problems: ["a log file needs a parser line and a delimiter line before the log"] };
    if (first.trim() !== "") parser = `^${first}$`;
    if (second.trim() !== "") problems.push(`the second line names a delimiter (${JSON.stringify(second)}), so the log is split into executions`);
    log = file.slice(file.indexOf("\n", file.indexOf("\n") + 1) + 1);
  }
  log = log.trim();
  let re: RegExp;
  try {
    re = new RegExp(parser, "gm");
  } catch (err) {
    return { parser, events: [], passedOver: [], problems: [`the parser is not a regular expression: ${String(err)}`] };
  }

  const events: ShivizEvent[] = [];
  const covered: boolean[] = [];
  const lineOf = (at: number) => log.slice(0, at).split("\n").length;
  for (let m = re.exec(log); m !== null; m = re.exec(log)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const line = lineOf(m.index);
    for (let k = line; k < line + m[0].split("\n").length; k++) covered[k] = true;
    const { event = "", host = "", clock = "" } = m.groups ?? {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(clock);
    } catch (err) {
      problems.push(`line ${line + 1}: the clock is not JSON (${String(err)})`);
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      problems.push(`line ${line + 1}: the clock is not a JSON object`);
      continue;
    }
    const vc: Record<string, number> = {};
    for (const [k, n] of Object.entries(parsed)) if (n !== 0) Object.defineProperty(vc, k, { value: n, enumerable: true });
    if (!Object.hasOwn(parsed, host)) {
      problems.push(`line ${line + 1}: local host "${host}" is missing from its timestamp`);
      continue;
    }
    events.push({ line, text: event, host, clock: vc });
  }
  if (events.length === 0) problems.push("the parser captures no events");
  const passedOver: ShivizReading["passedOver"] = [];
  log.split("\n").forEach((text, i) => {
    if (covered[i + 1] !== true && text.trim() !== "") passedOver.push({ line: i + 1, text });
  });

  const byHost = new Map<string, ShivizEvent[]>();
  for (const e of events) {
    if (/\s/.test(e.host)) problems.push(`line ${e.line}: the host "${e.host}" has white space in its name`);
    if (e.host in Object.prototype) problems.push(`line ${e.line}: the host "${e.host}" is a name every JavaScript object has`);
    const list = byHost.get(e.host) ?? [];
    list.push(e);
    byHost.set(e.host, list);
  }
  for (const [host, list] of byHost) {
    const sorted = [...list].sort((a, b) => a.clock[host]! - b.clock[host]!);
    sorted.forEach((e, i) => {
      if (e.clock[host] !== i + 1)
        problems.push(
          i === 0
            ? `line ${e.line}: logical clock values for each host must start at 1; ${host}'s first is ${e.clock[host]}`
            : `line ${e.line}: clock values for a host must increase by 1; ${host}'s goes from ${sorted[i - 1]!.clock[host]} to ${e.clock[host]}`,
        );
      const prev = sorted[i - 1];
      if (prev !== undefined)
        for (const [k, n] of Object.entries(prev.clock)) if ((e.clock[k] ?? 0) < n) problems.push(`line ${e.line}: ${host}'s clock entry for ${k} went down from ${n} to ${e.clock[k] ?? 0}`);
    });
  }
  for (const e of events)
    for (const [k, n] of Object.entries(e.clock)) {
      const count = byHost.get(k)?.length;
      if (count === undefined) problems.push(`line ${e.line}: the clock names the unrecognized host "${k}", which has no events`);
      else if (!Number.isInteger(n) || n < 1 || n > count) problems.push(`line ${e.line}: the clock has the invalid value ${n} for host "${k}", which has ${count} events`);
    }
  return { parser, events, passedOver, problems };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Every way the export `log` of a run's clock events falls short of ShiViz's rules, read back
 * as a file and as pasted text; none when it is faithful: each clock event of the run is one
 * event of the log, in trace order, under its node's host name (no white space) with its vector
 * clock; a host's own entry starts at 1 and rises by exactly 1 at each of its events; every
 * host a clock names has events; each clock is JSON on one line, each description one line.
 */
export function exportBreaks(log: string, events: readonly ClockEvent[]): string[] {
  const out: string[] = [];
  const run = [...events].sort((a, b) => a.seq - b.seq);
  for (const as of ["file", "pasted"] as const) {
    const say = (text: string) => out.push(`read as a ${as === "file" ? "file" : "pasted log"}: ${text}`);
    const r = readShiviz(log, as);
    for (const p of r.problems) say(p);
    const passed = r.passedOver.map((p) => p.text);
    const header = as === "file" ? [] : [SHIVIZ_PARSER];
    if (JSON.stringify(passed) !== JSON.stringify(header)) say(`lines passed over: ${JSON.stringify(passed)}`);
    if (r.events.length !== run.length) say(`${r.events.length} events for the run's ${run.length} clock events`);
    const count = new Map<string, number>();
    for (const e of run) count.set(shivizHost(e.node), (count.get(shivizHost(e.node)) ?? 0) + 1);
    const got = new Map<string, number>();
    r.events.forEach((e, i) => {
      const want = run[i];
      const own = (got.get(e.host) ?? 0) + 1;
      got.set(e.host, own);
      if (want !== undefined) {
        const host = shivizHost(want.node);
        const clock = Object.fromEntries(Object.entries(want.vc).map(([k, n]) => [shivizHost(k), n]));
        if (e.host !== host) say(`event ${i + 1} is ${e.host}'s, but the run's event ${want.seq} is ${host}'s`);
        if (JSON.stringify(Object.entries(e.clock).sort()) !== JSON.stringify(Object.entries(clock).sort())) say(`event ${i + 1} has the clock ${JSON.stringify(e.clock)}, the run's ${JSON.stringify(clock)}`);
      }
      if (e.clock[e.host] !== own) say(`event ${i + 1} is ${e.host}'s event ${own}, but its own entry is ${e.clock[e.host]}`);
      if (/\s/.test(e.host) || e.host === "") say(`event ${i + 1}'s host ${JSON.stringify(e.host)} is empty or has white space`);
      if (LINE_BREAK.test(e.text)) say(`event ${i + 1}'s description breaks the line`);
    });
    for (const [host, n] of count) if (got.get(host) !== n) say(`${host} has ${got.get(host) ?? 0} events in the log, ${n} in the run`);
    for (const e of r.events) for (const k of Object.keys(e.clock)) if (!got.has(k)) say(`line ${e.line}: the clock names ${k}, which has no events`);
  }
  // The text itself: the header, then a description line and a clock line for each event.
  const lines = log.split("\n");
  if (lines[0] !== SHIVIZ_PARSER || lines[1] !== "") out.push("the log does not open with the parser and an empty line");
  if (lines.at(-1) !== "" || lines.length !== 2 + 2 * run.length + 1) out.push(`the log has ${lines.length} lines for ${run.length} events`);
  for (let i = 2; i + 1 < lines.length; i += 2) {
    if (LINE_BREAK.test(lines[i]!)) out.push(`line ${i + 1} holds a line break`);
    const m = /^(\S+) (\{.*\})$/.exec(lines[i + 1]!);
    if (m === null) out.push(`line ${i + 2} is not "<host> <clock>"`);
    else
      try {
        JSON.parse(m[2]!);
      } catch {
        out.push(`line ${i + 2}'s clock is not JSON`);
      }
  }
  return out;
}
