// Fallback worker entry, used only when the worker cannot be bundled (see classify-worker-bundle.ts):
// Node 20 does not pass the tsx loader registered on the main thread to worker threads, so this
// registers it before importing the TypeScript worker module.
import { register } from "tsx/esm/api";

register();
await import("./classify-worker.ts");
