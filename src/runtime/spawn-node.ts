// Starting a node worker on Node.js (worker_threads), for the CLI, the tests and the bench.
// The page starts Web Workers instead (store/). Both hand the worker host a comlink Endpoint.

import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { WorkerHandle } from "./worker-host.ts";

const ENTRY = new URL("../labs/worker-entry.nodejs.mjs", import.meta.url);

/** `entry`: another worker script (tests serve their fixture labs from their own). */
export function spawnNodeWorker(entry: URL = ENTRY): WorkerHandle {
  const w = new Worker(entry);
  return {
    endpoint: nodeEndpoint(w),
    terminate: () => void w.terminate(),
    onDeath(cb) {
      w.on("error", (err) => cb(err instanceof Error ? err.message : String(err)));
      w.on("exit", (code) => cb(`it exited with code ${code}`));
    },
  };
}
