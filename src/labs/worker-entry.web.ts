// The Web Worker side of the worker host in the page: the lab registry plus the node-serving API.
import * as Comlink from "comlink";
import { nodeWorkerApi } from "../runtime/node-worker.ts";
import { labById } from "./index.ts";

Comlink.expose(nodeWorkerApi((id) => labById(id)?.protocol));
