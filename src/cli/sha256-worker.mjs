// The CLI's SHA-256 on a second thread (see sha256-offload.ts): take the trace's bytes from a
// ring of shared slots, hash them, append them to the --trace file, hand the slots back.
// Plain JavaScript, so the thread starts without a TypeScript loader.

import { createHash } from "node:crypto";
import { writeSync } from "node:fs";
import { workerData } from "node:worker_threads";

const { shared, slots, slotSize, fd } = workerData;
const ctrl = new Int32Array(shared, 0, 8);
const lengths = new Int32Array(shared, 32, slots);
const digestBytes = new Uint8Array(shared, 32 + 4 * slots, 32);
const data = new Uint8Array(shared, 64 + 4 * slots, slots * slotSize);
// ctrl: [0] slots filled, [1] slots hashed, [2] no more coming, [3] digest written, [4] failed,
// [5] bumped by the main thread after each change it makes (what this thread waits on).
const FILLED = 0;
const HASHED = 1;
const DONE = 2;
const DIGEST = 3;
const FAILED = 4;
const SIGNAL = 5;

const hash = createHash("sha256");
try {
  let hashed = Atomics.load(ctrl, HASHED);
  for (;;) {
    // Read in this order: the main thread fills, then says done, then signals.
    const signal = Atomics.load(ctrl, SIGNAL);
    const done = Atomics.load(ctrl, DONE) === 1;
    if (hashed === Atomics.load(ctrl, FILLED)) {
      if (done) break;
      Atomics.wait(ctrl, SIGNAL, signal);
      continue;
    }
    const slot = hashed % slots;
    const chunk = data.subarray(slot * slotSize, slot * slotSize + lengths[slot]);
    hash.update(chunk);
    if (fd !== undefined) for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
    hashed++;
    Atomics.store(ctrl, HASHED, hashed);
    Atomics.notify(ctrl, HASHED);
  }
  digestBytes.set(hash.digest());
  Atomics.store(ctrl, DIGEST, 1);
} catch {
  Atomics.store(ctrl, FAILED, 1);
}
Atomics.notify(ctrl, DIGEST);
Atomics.notify(ctrl, HASHED);
