// Worker-thread entry for piscina. Node 20 does not pass the tsx loader registered on the main thread
// to worker threads, so each worker registers it before importing the TypeScript worker module.
import { register } from "tsx/esm/api";

register();
const mod = await import("./classify-worker.ts");
export default mod.default;
