// The trace hash keeps its meaning: SHA-256 over JSON.stringify(event) + "\n" for every event.
// For every gallery scenario of every lab (and a long stretch of each lab's default), the
// page's hash (the byte writer and @noble/hashes), the CLI's (`execute`: native SHA-256, run in
// slices that the trace forgets) and the --trace file all equal the digest of the JSON lines
// built the plain way, and the file holds exactly those lines.

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { execute } from "../../src/cli/main.ts";
import { labs, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import type { Scenario } from "../../src/scenario/types.ts";

const dir = mkdtempSync(join(tmpdir(), "splitbrain-trace-"));

for (const lab of labs) {
  const long: Scenario = { ...lab.scenarios[0]!, name: "long", until: 120_000 };
  describe(`the ${lab.id} lab's trace bytes`, () => {
    for (const s of [...lab.scenarios, long]) {
      it(`are JSON.stringify's, line by line, for "${s.name}"`, async () => {
        const params = v.parse(lab.params, s.params);
        const run = startInProcess(runConfig(s, params));
        await run.advance(s.until);
        const jsonl = run.engine.trace.events.map((e) => JSON.stringify(e) + "\n").join("");
        const digest = createHash("sha256").update(jsonl, "utf8").digest("hex").slice(0, 16);
        expect(run.engine.trace.hash()).toBe(digest);

        const file = join(dir, `${lab.id}-${s.name}.jsonl`);
        const summary = await execute(s, params, { traceFile: file });
        expect(summary.traceHash).toBe(digest);
        expect(summary.events).toBe(run.engine.trace.length);
        expect(readFileSync(file, "utf8")).toBe(jsonl);
      });
    }
  });
}
