// Starting a node worker in the page: a module Web Worker, handed to the worker host as its
// comlink endpoint. The Node.js twin is runtime/spawn-node.ts; this one lives on the page's
// side because only the bundler can turn the entry below into a worker chunk.

import type { WorkerHandle } from "../runtime/worker-host.ts";

// Workers this page started and has not terminated. Tests read it (window.splitbrain.workers())
// to prove one worker per node, and that closing a run leaks none.
let live = 0;

export function liveWorkerCount(): number {
  return live;
}

export function spawnWebWorker(): WorkerHandle {
  // The literal `new Worker(new URL(...), { type: "module" })` shape is what Vite recognises
  // to emit the entry as its own chunk; do not build the URL elsewhere.
  const worker = new Worker(new URL("../labs/worker-entry.web.ts", import.meta.url), { type: "module" });
  live++;
  let terminated = false;
  return {
    endpoint: worker,
    terminate() {
      // The host may close a run after a death already made the page drop it: count once.
      if (terminated) return;
      terminated = true;
      live--;
      worker.terminate();
    },
    onDeath(cb) {
      worker.addEventListener("error", (ev) => {
        // The host turns this into a WorkerHostError the page shows; without preventDefault the
        // browser would also report it as an uncaught error of the page.
        ev.preventDefault();
        // A module that fails to load fires a plain Event, not an ErrorEvent with a message.
        cb(ev instanceof ErrorEvent && ev.message ? ev.message : "its script failed to load or threw");
      });
      worker.addEventListener("messageerror", () => cb("it sent a message that could not be deserialized"));
    },
  };
}
