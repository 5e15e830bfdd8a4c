// `splitbrain run --shiviz <file>`: the clocks lab's run written as a ShiViz log, held to
// ShiViz's rules against the same run's trace (written beside it with --trace), the same on the
// worker host; refused, as bad input, for a lab whose nodes keep no vector clocks.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clockEvent } from "../labs/clocks/series.ts";
import { shivizFromTrace } from "../labs/clocks/shiviz.ts";
import { exportBreaks, readShiviz } from "../labs/clocks/shiviz-reader.ts";
import { labById } from "../labs/index.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { main } from "./main.ts";

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = "";
  const err: string[] = [];
  const code = await main(argv, { out: (t) => (out += t + "\n"), err: (t) => err.push(t), stdin: () => "" });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "splitbrain-shiviz-"));
const gallery = (lab: string, name: string) => {
  const file = join(dir, `${lab}-${name}.json`);
  writeFileSync(file, JSON.stringify(labById(lab)!.scenarios.find((s) => s.name === name)));
  return file;
};

describe("splitbrain run --shiviz", () => {
  it("writes the clocks lab's run as a log ShiViz accepts: every clock event of the trace, in order, under its rules", async () => {
    const scenario = gallery("clocks", "causality");
    const log = join(dir, "causality.log");
    const traceFile = join(dir, "causality.jsonl");
    const r = await cli(["run", scenario, "--shiviz", log, "--trace", traceFile, "--json"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const trace = readFileSync(traceFile, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as TraceEvent);
    const events = trace.filter((e) => e.kind === "clock").map(clockEvent);
    expect(events.length).toBe(JSON.parse(r.out).clockEvents);
    expect(events.length).toBeGreaterThan(100);
    const text = readFileSync(log, "utf8");
    expect(exportBreaks(text, events)).toEqual([]);
    expect(text).toBe(shivizFromTrace(trace));
    // Each of the three nodes is a host with all its events, numbered from 1.
    const read = readShiviz(text);
    for (const node of ["n1", "n2", "n3"]) {
      const own = read.events.filter((e) => e.host === node).map((e) => e.clock[node]);
      expect(own.length).toBe(events.filter((e) => e.node === node).length);
      expect(own).toEqual(own.map((_, i) => i + 1));
    }
    // The worker host runs the same trace, so it writes the same log.
    const viaWorkers = join(dir, "causality-workers.log");
    expect((await cli(["run", scenario, "--shiviz", viaWorkers, "--host", "worker"])).code).toBe(0);
    expect(readFileSync(viaWorkers, "utf8")).toBe(text);
  });

  it("refuses a lab without vector clocks with one line on stderr and exit code 2, before running it", async () => {
    const log = join(dir, "gossip.log");
    const r = await cli(["run", gallery("gossip", labById("gossip")!.scenarios[0]!.name!), "--shiviz", log]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toBe("splitbrain: --shiviz needs a lab whose nodes keep vector clocks (clocks); the gossip lab's do not");
    expect(r.out).toBe("");
    expect(existsSync(log)).toBe(false);
  });

  it("refuses a file it cannot write with one line and exit code 2", async () => {
    const r = await cli(["run", gallery("clocks", "causality"), "--shiviz", join(dir, "no-such-dir", "x.log")]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^splitbrain: cannot write the ShiViz log to ".*x\.log": /);
    expect(r.out).toBe("");
  });
});
