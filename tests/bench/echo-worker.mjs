// The baseline for the worker host: a worker that answers each message at once.
import { parentPort } from "node:worker_threads";

parentPort.on("message", (m) => parentPort.postMessage(m));
