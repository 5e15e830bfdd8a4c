// The headless runner: the same scenarios on the same engine, from a terminal.
//
//   splitbrain run <scenario.json | URL | -> [--until ms] [--host inprocess|worker] [--trace file.jsonl] [--shiviz file.log] [--json]
//   splitbrain labs [--json]
//   splitbrain scenario <lab> [name]
//   splitbrain url <scenario.json | URL | -> [--base URL]
//   splitbrain decode <URL>
//
// `url` prints `<site>#s=<payload>`; the site is SITE_BASE (src/scenario/site.ts), which is
// empty, so the link is the relative `#s=<payload>`, unless --base or SPLITBRAIN_BASE says
// otherwise. `run` and `decode` take a full link or the bare `#s=<payload>`. `run --shiviz`
// writes the run's vector clocks as a log for ShiViz (labs whose nodes keep them: clocks).
//
// Exit codes: 0 all checks pass, 1 a check found violations, 2 bad input (one line on
// stderr, never a stack trace), 3 the run itself broke (a worker died or hung).

import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Watch } from "../labs/checking.ts";
import { labById, labs, loadScenario, runConfig } from "../labs/index.ts";
import type { Lab, Violation } from "../labs/types.ts";
import { startInProcess } from "../runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../runtime/spawn-node.ts";
import type { HostKind, Run } from "../runtime/types.ts";
import { WorkerHostError, startInWorkers } from "../runtime/worker-host.ts";
import { decodeLink, linkFor } from "../scenario/codec.ts";
import { SITE_BASE } from "../scenario/site.ts";
import type { Scenario } from "../scenario/types.ts";
import { Trace, type Hasher } from "../sim/trace.ts";
import type { NodeView } from "../sim/types.ts";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, read whole (for `run -`). */
  stdin(): string;
}

/** Bad input: printed as one line, exit code 2. */
class InputError extends Error {}

const USAGE = `usage:
  splitbrain run <scenario.json | URL | -> [--until ms] [--host inprocess|worker] [--trace file.jsonl] [--shiviz file.log] [--json]
  splitbrain labs [--json]
  splitbrain scenario <lab> [name]
  splitbrain url <scenario.json | URL | -> [--base URL]
  splitbrain decode <URL>

  url prints ${SITE_BASE === "" ? "the relative link #s=<payload>: paste it after the playground's address" : `${SITE_BASE}#s=<payload>`};
  --base URL (or SPLITBRAIN_BASE=URL) puts URL in front instead. run and decode take either form;
  quote a link in the shell ("#s=…"), or the shell reads it as a comment.
  --shiviz writes the run's vector clocks as a log for ShiViz (https://bestchai.bitbucket.io/shiviz/),
  for a lab whose nodes keep them (${labs.filter((l) => l.shiviz !== undefined).map((l) => l.id).join(", ")}).`;

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case "run":
        return await runCommand(rest, io);
      case "labs":
        return labsCommand(rest, io);
      case "scenario":
        return scenarioCommand(rest, io);
      case "url":
        return urlCommand(rest, io);
      case "decode":
        return decodeCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new InputError(`unknown command "${command}" (try: run, labs, scenario, url, decode)`);
    }
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (err instanceof InputError) {
      io.err(oneLine(`splitbrain: ${text}`));
      return 2;
    }
    io.err(oneLine(err instanceof WorkerHostError ? `splitbrain: the run stopped: ${text}` : `splitbrain: internal error: ${text}`));
    return 3;
  }
}

/** Errors are one line, whatever the message they quote. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** node:util's parseArgs, with its errors turned into one readable line. */
function args<O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O, positionals: [number, number]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError(String(err instanceof Error ? err.message : err).split("\n")[0]!.replace(/\. To specify.*$/, ""));
  }
  const [min, max] = positionals;
  if (parsed.positionals.length < min) throw new InputError(`missing argument\n${USAGE}`.split("\n")[0]!);
  if (parsed.positionals.length > max) throw new InputError(`unexpected argument "${parsed.positionals[max]}"`);
  return parsed;
}

/** A scenario from a file, a link, or standard input ("-"). */
function readScenario(source: string, io: Io): { scenario: Scenario; params: Record<string, unknown> } {
  if (source.includes("#s=") || /^https?:\/\//.test(source)) {
    const r = decodeLink(source, labs);
    if (!r.ok) throw new InputError(r.error);
    return r;
  }
  let text: string;
  try {
    text = source === "-" ? io.stdin() : readFileSync(source, "utf8");
  } catch {
    throw new InputError(`cannot read "${source}": no such file (give a scenario file, a link, or - for standard input)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`"${source}" is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = loadScenario(json);
  if (!r.ok) throw new InputError(r.error);
  return r;
}

export interface Summary {
  lab: string;
  scenario: string | null;
  seed: number;
  host: HostKind;
  time: number;
  events: number;
  traceHash: string;
  eventsPerSecond: number;
  checks: { id: string; title: string; violations: Violation[] }[];
  nodes: ({ id: string } & NodeView)[];
  /** The names of the lab's own figures of the run (Lab.summarize), each a field of the summary. */
  figures?: string[];
  [figure: string]: unknown;
}

async function runCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = args(
    argv,
    {
      until: { type: "string" },
      host: { type: "string" },
      trace: { type: "string" },
      shiviz: { type: "string" },
      json: { type: "boolean" },
    },
    [1, 1],
  );
  const host = values.host ?? "inprocess";
  if (host !== "inprocess" && host !== "worker") throw new InputError(`--host must be inprocess or worker, not "${host}"`);
  const { scenario, params } = readScenario(positionals[0]!, io);
  let until = scenario.until;
  if (values.until !== undefined) {
    until = Number(values.until);
    if (!Number.isFinite(until) || until < 0 || until > 86_400_000) throw new InputError(`--until must be a time in ms between 0 and 86400000`);
  }
  const summary = await execute(scenario, params, { until, host, traceFile: values.trace, shivizFile: values.shiviz });
  io.out(values.json ? JSON.stringify(summary) : formatSummary(summary));
  return summary.checks.some((c) => c.violations.length > 0) ? 1 : 0;
}

export interface ExecuteOptions {
  /** Run to this virtual time (default: the scenario's `until`). */
  until?: number;
  host?: HostKind;
  /** Write the trace's JSON lines to this file as the run goes. */
  traceFile?: string | undefined;
  /** Write the run's vector clocks as a ShiViz log to this file at the end (Lab.shiviz). */
  shivizFile?: string | undefined;
}

/** Events a slice of the run should hold about: small enough to die young, large enough to batch. */
const SLICE_EVENTS = 2048;

/**
 * What `splitbrain run` does with a scenario it has read: run it, hash its trace, check it.
 * The bench (tests/bench/run.ts) times this very function.
 *
 * The run goes in slices of virtual time. After each, the lab's checks take the new events
 * (step by step, as `Check.run` would over the whole trace) and the trace forgets them: the
 * hash already covers them, and the --trace file has their lines. So a run of any length keeps
 * only a slice of events in memory. Slicing does not change the trace: `advance` processes
 * events in the same (t, seq) order however often it is called. The hash is Node's native
 * SHA-256 (about ten times faster than @noble/hashes; the same digest), which also writes the
 * --trace file: both see exactly the bytes hashed, in order.
 */
export async function execute(scenario: Scenario, params: Record<string, unknown>, options: ExecuteOptions = {}): Promise<Summary> {
  const until = options.until ?? scenario.until;
  const lab = labById(scenario.lab)!;
  const shiviz = options.shivizFile === undefined ? undefined : shivizExport(lab, options.shivizFile);
  const file = options.traceFile === undefined ? undefined : openWritable(options.traceFile, "the trace");
  try {
    // Only the first hasher (the running one) writes the file; a trace makes others only to
    // rehash a prefix, which a run straight through never does.
    let tee = file;
    const trace = new Trace({
      hasher: () => {
        const h = nativeSha256(tee);
        tee = undefined;
        return h;
      },
    });
    const cfg = { ...runConfig(scenario, params), trace };
    const run: Run = options.host === "worker" ? await startInWorkers(cfg, { spawn: spawnNodeWorker }) : startInProcess(cfg);
    try {
      const checks = lab.checks;
      // The same incremental checks the page runs live (labs/checking.ts), fed slice by slice.
      // The lab's reducers too, when it sums its run up from them (the ring lab's load and moves)
      // or exports it (the clocks lab's events, for ShiViz): no other lab keeps its run for this.
      const folds = lab.summarize !== undefined || shiviz !== undefined;
      const watch = new Watch(checks, folds ? (lab.reducers ?? []) : [], { scenario, params });
      const started = performance.now();
      let at = run.engine.now;
      let slice = Math.min(100, until);
      for (;;) {
        const to = Math.min(until, at + slice);
        const before = trace.length;
        await run.advance(to);
        watch.feed(trace.events, trace.first);
        trace.forget(0);
        if (to >= until) break;
        // Aim the next slice at about SLICE_EVENTS events.
        const made = trace.length - before;
        slice = Math.max(1, Math.min(until, made === 0 ? 4 * slice : (slice * SLICE_EVENTS) / made));
        at = to;
      }
      const found = watch.finish(scenario.until);
      const traceHash = trace.hash();
      const seconds = (performance.now() - started) / 1000;
      const events = trace.length;
      const nodes = await run.views();
      const summary: Summary = {
        lab: lab.id,
        scenario: scenario.name ?? null,
        seed: scenario.seed,
        host: run.host,
        time: run.engine.now,
        events,
        traceHash,
        eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
        checks: checks.map((c) => ({ id: c.id, title: c.title, violations: found.filter((v) => v.check === c.id) })),
        // Nodes that joined during the run are listed after the scenario's own, in joining order.
        nodes: nodes.map((v, i) => ({ id: run.engine.ids[i]!, ...v })),
      };
      // The lab's own figures sit beside the core fields (which they never replace).
      if (lab.summarize !== undefined) {
        const figures = lab.summarize(watch.allSeries());
        for (const key of Object.keys(figures)) if (!(key in summary)) summary[key] = figures[key];
        summary.figures = Object.keys(figures).filter((k) => summary[k] === figures[k]);
      }
      shiviz?.write(watch.allSeries());
      return summary;
    } finally {
      run.close();
    }
  } finally {
    if (file !== undefined) closeSync(file);
  }
}

/** Node's SHA-256 as the trace's Hasher; with `fd`, every byte hashed is also written there. */
function nativeSha256(fd?: number): Hasher {
  const wrap = (h: Hash, fd?: number): Hasher => ({
    update(bytes) {
      h.update(bytes);
      if (fd !== undefined) for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    },
    // A copy digests without writing: only the running hash writes the file.
    clone: () => wrap(h.copy()),
    digest: () => h.digest(),
  });
  return wrap(createHash("sha256"), fd);
}

/** The --shiviz file, refused before the run for a lab without vector clocks. */
function shivizExport(lab: Lab, file: string): { write(series: Readonly<Record<string, unknown>>): void } {
  const log = lab.shiviz;
  if (log === undefined) {
    const able = labs.filter((l) => l.shiviz !== undefined).map((l) => l.id);
    throw new InputError(`--shiviz needs a lab whose nodes keep vector clocks (${able.join(", ")}); the ${lab.id} lab's do not`);
  }
  // Opened now, so that a path that cannot be written is bad input before a long run, not after.
  closeSync(openWritable(file, "the ShiViz log"));
  return {
    write(series) {
      try {
        writeFileSync(file, log(series));
      } catch (err) {
        throw new InputError(`cannot write the ShiViz log to "${file}": ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

function openWritable(file: string, what: string): number {
  try {
    return openSync(file, "w");
  } catch (err) {
    throw new InputError(`cannot write ${what} to "${file}": ${err instanceof Error ? err.message : String(err)}`);
  }
}


function formatSummary(s: Summary): string {
  const lines = [
    `lab       ${s.lab}${s.scenario ? ` (${s.scenario})` : ""}`,
    `seed      ${s.seed}`,
    `host      ${s.host}`,
    `time      ${s.time} ms of virtual time`,
    `events    ${s.events}`,
    `trace     ${s.traceHash}`,
    `speed     ${s.eventsPerSecond.toLocaleString("en-US")} events/s`,
  ];
  for (const c of s.checks) {
    lines.push(`check     ${c.id}: ${c.violations.length === 0 ? "ok" : `${c.violations.length} violation(s)`}`);
    for (const v of c.violations.slice(0, 5)) lines.push(`            at ${ms(v.t)} ms: ${v.message} (events ${v.events.join(", ")})`);
    if (c.violations.length > 5) lines.push(`            … and ${c.violations.length - 5} more`);
  }
  for (const name of s.figures ?? []) lines.push(`${name.padEnd(9)} ${JSON.stringify(s[name])}`);
  for (const n of s.nodes) {
    const { id, status, ...rest } = n;
    // Scalars as they are, lists by their length (Raft's log); nested objects only in --json.
    const fields = Object.entries(rest)
      .filter(([, v]) => v !== null && v !== undefined && (typeof v !== "object" || Array.isArray(v)))
      .map(([k, v]) => (Array.isArray(v) ? `${k}=${v.length} entries` : `${k}=${typeof v === "number" ? ms(v) : String(v)}`));
    lines.push(`node      ${id} ${status}${fields.length ? " " + fields.join(" ") : ""}`);
  }
  return lines.join("\n");
}

/** Virtual times are floats (latency draws); a tenth of a millisecond is plenty to read. */
function ms(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function labsCommand(argv: string[], io: Io): number {
  const { values } = args(argv, { json: { type: "boolean" } }, [0, 0]);
  const list = labs.map((l) => ({
    id: l.id,
    title: l.title,
    summary: l.summary,
    scenarios: l.scenarios.map((s) => ({ name: s.name ?? "", title: s.title ?? "" })),
  }));
  if (values.json) io.out(JSON.stringify(list));
  else
    io.out(
      list
        .map((l) => [`${l.id} — ${l.title}: ${l.summary}`, ...l.scenarios.map((s, k) => `  ${s.name}${k === 0 ? " (default)" : ""}: ${s.title}`)].join("\n"))
        .join("\n"),
    );
  return 0;
}

function scenarioCommand(argv: string[], io: Io): number {
  const { positionals } = args(argv, {}, [1, 2]);
  const [labId, name] = positionals;
  const lab = labById(labId!);
  if (lab === undefined) throw new InputError(`unknown lab "${labId}" (known: ${labs.map((l) => l.id).join(", ")})`);
  const s = name === undefined ? lab.scenarios[0] : lab.scenarios.find((x) => x.name === name);
  if (s === undefined) throw new InputError(`lab ${lab.id} has no scenario "${name}" (known: ${lab.scenarios.map((x) => x.name).join(", ")})`);
  io.out(JSON.stringify(s, null, 2));
  return 0;
}

function urlCommand(argv: string[], io: Io): number {
  const { values, positionals } = args(argv, { base: { type: "string" } }, [1, 1]);
  const { scenario } = readScenario(positionals[0]!, io);
  // --base, then SPLITBRAIN_BASE, then the declared site; "" anywhere gives the relative link.
  io.out(linkFor(scenario, values.base ?? process.env.SPLITBRAIN_BASE ?? SITE_BASE));
  return 0;
}

function decodeCommand(argv: string[], io: Io): number {
  const { positionals } = args(argv, {}, [1, 1]);
  const r = decodeLink(positionals[0]!, labs);
  if (!r.ok) throw new InputError(r.error);
  io.out(JSON.stringify(r.scenario, null, 2));
  return 0;
}
