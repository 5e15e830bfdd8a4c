// A node worker on Node.js: teach this thread TypeScript (tsx), then serve the nodes.
import { register } from "tsx/esm/api";

register();
await import("./worker-entry.nodejs.ts");
