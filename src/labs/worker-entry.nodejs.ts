// The worker_threads side of the worker host: the lab registry plus the node-serving API.
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { nodeWorkerApi } from "../runtime/node-worker.ts";
import { labById } from "./index.ts";

if (parentPort === null) throw new Error("worker-entry.nodejs must run in a worker thread");
Comlink.expose(nodeWorkerApi((id) => labById(id)?.protocol), nodeEndpoint(parentPort));
