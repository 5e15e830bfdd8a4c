// The trace's SHA-256 for the CLI, on a second thread once the trace is large.
//
// Hashing is native (node:crypto) either way; what moves is the time it takes — and the
// writing of the --trace file — off the thread that runs the simulation. The bytes go through
// a ring of slots in a SharedArrayBuffer: this thread copies each chunk in, the worker
// (sha256-worker.mjs) hashes and writes it and frees the slot. Waiting is Atomics.wait, so
// nothing here needs the event loop, and the digest can be asked for synchronously.
//
// A short run never starts the thread: its bytes sit in the first slots, and are hashed here,
// at the end, when the digest is asked for. Past HANDOFF_SLOTS the worker starts, from byte 0.
// The digest is the SHA-256 of the bytes in the order given, as with any Hasher.

import { createHash } from "node:crypto";
import { writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Hasher } from "../sim/trace.ts";

const SLOTS = 64;
const SLOT_SIZE = 256 * 1024;
/** 4 MiB: below this, starting a thread costs more than hashing here. */
const HANDOFF_SLOTS = 16;
/** Give up on a worker that makes no progress for this long. */
const STALL_MS = 60_000;

// Layout of `ctrl` (Int32Array over the start of the shared buffer); sha256-worker.mjs agrees.
const FILLED = 0;
const HASHED = 1;
const DONE = 2;
const DIGEST = 3;
const FAILED = 4;
const SIGNAL = 5;

const WORKER = new URL("./sha256-worker.mjs", import.meta.url);

export class OffloadedSha256 implements Hasher {
  private readonly shared = new SharedArrayBuffer(64 + 4 * SLOTS + 32 + SLOTS * SLOT_SIZE);
  private readonly ctrl = new Int32Array(this.shared, 0, 8);
  private readonly lengths = new Int32Array(this.shared, 32, SLOTS);
  private readonly digestBytes = new Uint8Array(this.shared, 32 + 4 * SLOTS, 32);
  private readonly data = new Uint8Array(this.shared, 64 + 4 * SLOTS, SLOTS * SLOT_SIZE);
  /** Slots handed over so far (the worker's FILLED), and bytes in the one being filled. */
  private filled = 0;
  private fill = 0;
  private worker: Worker | undefined;
  private result: Uint8Array | undefined;

  /** `fd`: also append the bytes to this file (the --trace file), in order. */
  constructor(private readonly fd?: number) {}

  update(bytes: Uint8Array): void {
    if (this.result !== undefined) throw new Error("OffloadedSha256: already digested");
    let off = 0;
    while (off < bytes.length) {
      if (this.fill === 0) this.waitForSlot();
      const n = Math.min(SLOT_SIZE - this.fill, bytes.length - off);
      const at = (this.filled % SLOTS) * SLOT_SIZE + this.fill;
      this.data.set(n === bytes.length ? bytes : bytes.subarray(off, off + n), at);
      this.fill += n;
      off += n;
      if (this.fill === SLOT_SIZE) this.handOver();
    }
  }

  /** Only for the one digest at the end of the run (Trace.hash digests a clone). */
  clone(): Hasher {
    const unsupported = (): never => {
      throw new Error("OffloadedSha256: a clone can only be digested");
    };
    return { update: unsupported, clone: unsupported, digest: () => this.digest() };
  }

  digest(): Uint8Array {
    if (this.result !== undefined) return this.result;
    if (this.worker === undefined) {
      // Never handed off: hash (and write) the slots here.
      const h = createHash("sha256");
      for (let k = 0; k <= this.filled; k++) {
        const chunk = this.data.subarray(k * SLOT_SIZE, k * SLOT_SIZE + (k < this.filled ? this.lengths[k]! : this.fill));
        h.update(chunk);
        if (this.fd !== undefined) writeAll(this.fd, chunk);
      }
      this.result = new Uint8Array(h.digest());
      return this.result;
    }
    if (this.fill > 0) this.handOver();
    Atomics.store(this.ctrl, DONE, 1);
    this.signal();
    this.waitFor(DIGEST, () => Atomics.load(this.ctrl, DIGEST) === 1);
    this.result = this.digestBytes.slice();
    this.close();
    return this.result;
  }

  /** Stop the worker, if any (after the digest, or when the run broke). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private handOver(): void {
    this.lengths[this.filled % SLOTS] = this.fill;
    this.filled++;
    this.fill = 0;
    Atomics.store(this.ctrl, FILLED, this.filled);
    this.signal();
    if (this.worker === undefined && this.filled >= HANDOFF_SLOTS) {
      this.worker = new Worker(WORKER, { workerData: { shared: this.shared, slots: SLOTS, slotSize: SLOT_SIZE, fd: this.fd } });
      this.worker.unref();
    }
  }

  /** The next slot must have been hashed before it is filled again. */
  private waitForSlot(): void {
    if (this.filled - Atomics.load(this.ctrl, HASHED) < SLOTS) return;
    this.waitFor(HASHED, () => this.filled - Atomics.load(this.ctrl, HASHED) < SLOTS);
  }

  private waitFor(word: number, ready: () => boolean): void {
    let seen = Atomics.load(this.ctrl, word);
    let since = Date.now();
    while (!ready()) {
      if (Atomics.load(this.ctrl, FAILED) === 1) throw new Error("the hashing thread failed");
      Atomics.wait(this.ctrl, word, seen, 100);
      const now = Atomics.load(this.ctrl, word);
      if (now !== seen) {
        seen = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) throw new Error("the hashing thread stopped answering");
    }
  }

  private signal(): void {
    Atomics.add(this.ctrl, SIGNAL, 1);
    Atomics.notify(this.ctrl, SIGNAL);
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
}
