// Host conformance: every gallery scenario of every registered lab gives one trace hash,
// twice in-process and once with every node in its own worker (worker_threads here, Web
// Workers in the page). A new lab is covered by adding it to the registry.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";

for (const lab of labs) {
  describe(`the ${lab.id} lab`, () => {
    for (const s of lab.scenarios) {
      it(`gives one trace hash for "${s.name}" in-process twice and on the worker host`, async () => {
        const cfg = runConfig(s, v.parse(lab.params, s.params));
        const a = startInProcess(cfg);
        await a.advance(s.until);
        const b = startInProcess(cfg);
        await b.advance(s.until);
        const w = await startInWorkers(cfg, { spawn: spawnNodeWorker });
        try {
          await w.advance(s.until);
          expect(a.engine.trace.length).toBeGreaterThan(s.nodes.length);
          expect(b.engine.trace.hash()).toBe(a.engine.trace.hash());
          expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
          expect(await w.views()).toEqual(await a.views());
        } finally {
          w.close();
        }
      });
    }
  });
}
