import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { labs, loadScenario } from "../labs/index.ts";
import { encodeScenario } from "../scenario/codec.ts";
import { SITE_BASE } from "../scenario/site.ts";
import { main } from "./main.ts";

/** Run the CLI in-process with captured output. */
async function cli(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string[] }> {
  let out = "";
  const err: string[] = [];
  const code = await main(argv, { out: (t) => (out += t + "\n"), err: (t) => err.push(t), stdin: () => stdin });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "splitbrain-cli-"));
const lab = labs[0]!;
const scenarioFile = join(dir, "default.json");
writeFileSync(scenarioFile, JSON.stringify(lab.scenarios[0]));

describe("splitbrain labs", () => {
  it("lists every lab with its gallery scenarios", async () => {
    const r = await cli(["labs", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out);
    expect(list.map((l: { id: string }) => l.id)).toEqual(labs.map((l) => l.id));
    expect(list[0].scenarios.map((s: { name: string }) => s.name)).toEqual(lab.scenarios.map((s) => s.name));
    expect((await cli(["labs"])).out).toContain(`${lab.scenarios[0]!.name} (default)`);
  });
});

describe("splitbrain scenario", () => {
  it("prints the lab's default scenario, or a named one", async () => {
    expect(JSON.parse((await cli(["scenario", lab.id])).out)).toEqual(lab.scenarios[0]);
    const second = lab.scenarios[1]!;
    expect(JSON.parse((await cli(["scenario", lab.id, second.name!])).out)).toEqual(second);
  });
});

describe("splitbrain run", () => {
  it("runs a scenario file and prints a summary with the trace hash and every check", async () => {
    const r = await cli(["run", scenarioFile, "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ lab: lab.id, seed: lab.scenarios[0]!.seed, host: "inprocess", time: lab.scenarios[0]!.until });
    expect(s.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(s.events).toBeGreaterThan(0);
    expect(s.checks.map((c: { id: string }) => c.id)).toEqual(lab.checks.map((c) => c.id));
    expect(s.nodes).toHaveLength(lab.scenarios[0]!.nodes.length);
  });

  it("adds a lab's own figures: the ring lab's load, moves, lost writes, stale reads and refused writes, from its link too", async () => {
    const ring = labs.find((l) => l.id === "ring")!;
    const file = join(dir, "ring.json");
    writeFileSync(file, JSON.stringify(ring.scenarios.find((x) => x.name === "join-leave")));
    const r = await cli(["run", file, "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({
      keysPerServer: { s1: 42, s3: 32, s4: 42, s5: 45, s6: 39 },
      loadStdDevPct: 11.1,
      moves: [
        { change: "s6 joins", movedKeys: 30, totalKeys: 200 },
        { change: "s2 leaves", movedKeys: 39, totalKeys: 200 },
      ],
      lostWrites: 0,
      staleReads: 0,
      refusedWrites: 0,
    });
    expect(Object.values(s.keysPerServer as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(200);
    const link = (await cli(["url", file])).out.trim();
    expect(JSON.parse((await cli(["run", link, "--json"])).out).traceHash).toBe(s.traceHash);
    expect((await cli(["run", file])).out).toMatch(/^loadStdDevPct 11\.1$/m);
    const strict = join(dir, "strict.json");
    writeFileSync(strict, JSON.stringify(ring.scenarios.find((x) => x.name === "partition-strict")));
    expect(JSON.parse((await cli(["run", strict, "--json"])).out)).toMatchObject({ refusedWrites: 20, staleReads: 0 });
  });

  it("gives the same hash from the file, from its link, from stdin and on the worker host", async () => {
    const hash = async (argv: string[], stdin?: string) => JSON.parse((await cli([...argv, "--json"], stdin)).out).traceHash;
    const link = (await cli(["url", scenarioFile])).out.trim();
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const h = await hash(["run", scenarioFile]);
    expect(await hash(["run", link])).toBe(h);
    expect(await hash(["run", "-"], readFileSync(scenarioFile, "utf8"))).toBe(h);
    expect(await hash(["run", link, "--host", "worker"])).toBe(h);
  });

  it("stops at --until and writes the trace as JSON lines with --trace", async () => {
    const file = join(dir, "trace.jsonl");
    const r = await cli(["run", scenarioFile, "--until", "2000", "--trace", file, "--json"]);
    const s = JSON.parse(r.out);
    expect(s.time).toBe(2000);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(s.events);
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(lines.map((_, i) => i));
    expect(JSON.parse(lines.at(-1)!).t).toBeLessThanOrEqual(2000);
  });

  it("exits 1 when a check finds a violation", async () => {
    // A correct lab breaks no safety check, so drive the liveness one: n1 counts once on a
    // network that loses almost everything, and the run ends before gossip gets through.
    const s = structuredClone(lab.scenarios[0]!);
    s.timeline = [{ t: 100, do: "command", node: "n1", cmd: "inc" }];
    s.network.links = [];
    s.network.loss = 1; // every message lost: the nodes can never agree
    s.until = 10_000;
    const file = join(dir, "lossy.json");
    writeFileSync(file, JSON.stringify(s));
    // With total loss the check knows convergence is impossible and does not judge it…
    expect((await cli(["run", file])).code).toBe(0);
    // …but at 99 % loss it must converge eventually, and 10 s is not enough: a violation.
    s.network.loss = 0.99;
    writeFileSync(file, JSON.stringify(s));
    const r = await cli(["run", file]);
    expect(r.out).toContain("convergence: 1 violation(s)");
    expect(r.code).toBe(1);
  });
});

describe("splitbrain url and decode", () => {
  /** Runs `f` with SPLITBRAIN_BASE set to `value` (unset for undefined), then puts it back. */
  async function withBaseEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
    const saved = process.env.SPLITBRAIN_BASE;
    if (value === undefined) delete process.env.SPLITBRAIN_BASE;
    else process.env.SPLITBRAIN_BASE = value;
    try {
      return await f();
    } finally {
      if (saved === undefined) delete process.env.SPLITBRAIN_BASE;
      else process.env.SPLITBRAIN_BASE = saved;
    }
  }
  // The payload of the scenario as `url` reads it (validated, so in the schema's own shape).
  const loaded = loadScenario(lab.scenarios[0]);
  if (!loaded.ok) throw new Error(loaded.error);
  const payload = encodeScenario(loaded.scenario);

  it("prints the relative link #s=<payload> by default: no site is declared (SITE_BASE)", async () => {
    const r = await withBaseEnv(undefined, () => cli(["url", scenarioFile]));
    expect(r.code).toBe(0);
    expect(r.out.startsWith("#s=")).toBe(true);
    expect(r.out).toBe(`${SITE_BASE}#s=${payload}\n`);
  });

  it("puts --base in front of the payload, and --base wins over SPLITBRAIN_BASE", async () => {
    const viaFlag = await withBaseEnv(undefined, () => cli(["url", scenarioFile, "--base", "https://example.org/sb/"]));
    expect(viaFlag.out.trim()).toBe(`https://example.org/sb/#s=${payload}`);
    const viaEnv = await withBaseEnv("https://mirror.example/splitbrain/", () => cli(["url", scenarioFile]));
    expect(viaEnv.out.trim()).toBe(`https://mirror.example/splitbrain/#s=${payload}`);
    const both = await withBaseEnv("https://mirror.example/splitbrain/", () => cli(["url", scenarioFile, "--base", "https://example.org/sb/"]));
    expect(both.out.trim()).toBe(`https://example.org/sb/#s=${payload}`);
  });

  it("runs the default link to the same trace hash as the file", async () => {
    const link = (await withBaseEnv(undefined, () => cli(["url", scenarioFile]))).out.trim();
    const hash = async (source: string) => JSON.parse((await cli(["run", source, "--json"])).out).traceHash;
    expect(await hash(link)).toBe(await hash(scenarioFile));
    expect(await hash(`#s=${payload}`)).toBe(await hash(scenarioFile));
  });

  it("round-trip a scenario through its link, relative or on a site", async () => {
    const link = (await cli(["url", scenarioFile, "--base", "https://example.org/play/"])).out.trim();
    expect(link.startsWith("https://example.org/play/#s=")).toBe(true);
    expect(JSON.parse((await cli(["decode", link])).out)).toEqual(lab.scenarios[0]);
    expect(JSON.parse((await cli(["decode", `#s=${payload}`])).out)).toEqual(lab.scenarios[0]);
  });
});

describe("bad input", () => {
  const bad: [string, string[], string?][] = [
    ["an unknown command", ["frobnicate"]],
    ["an unknown option", ["run", scenarioFile, "--bogus"]],
    ["a missing file", ["run", join(dir, "missing.json")]],
    ["a file that is not JSON", ["run", "-"], "not json {"],
    ["JSON of the wrong shape", ["run", "-"], '{"v":1,"lab":"gossip"}'],
    ["an unknown lab", ["scenario", "no-such-lab"]],
    ["an unknown scenario name", ["scenario", lab.id, "no-such-scenario"]],
    ["a damaged link", ["run", "http://localhost:5173/#s=@@@"]],
    ["a truncated link", ["decode", `#s=${encodeScenario(lab.scenarios[0]!).slice(0, 40)}`]],
    ["a link from a future version", ["decode", `#s=${encodeScenario({ ...lab.scenarios[0]!, v: 9 } as never)}`]],
    ["a bad --host", ["run", scenarioFile, "--host", "cloud"]],
    ["a bad --until", ["run", scenarioFile, "--until", "soon"]],
    ["a missing argument", ["run"]],
  ];
  for (const [what, argv, stdin] of bad) {
    it(`answers ${what} with one line on stderr and exit code 2`, async () => {
      const r = await cli(argv, stdin);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^splitbrain: \S/);
      expect(r.err[0]).not.toContain("\n");
      expect(r.err[0]).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
      expect(r.out).toBe("");
    });
  }
});

describe("the splitbrain command", () => {
  it("runs as an executable through npx, pipes url into run, and exits 2 on bad input", async () => {
    const exec = promisify(execFile);
    const root = join(import.meta.dirname, "../..");
    const link = (await exec("npx", ["splitbrain", "url", scenarioFile], { cwd: root })).stdout.trim();
    const viaLink = JSON.parse((await exec("npx", ["splitbrain", "run", link, "--json"], { cwd: root })).stdout);
    const viaFile = JSON.parse((await exec("npx", ["splitbrain", "run", scenarioFile, "--json"], { cwd: root })).stdout);
    expect(viaLink.traceHash).toBe(viaFile.traceHash);
    const failed = await exec("npx", ["splitbrain", "run", "nope.json"], { cwd: root }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
  });
});
