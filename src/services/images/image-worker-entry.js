// Worker-thread entry for piscina. Worker threads do not inherit the TypeScript loader that the CLI,
// the benchmarks and vitest install, so register tsx here, then hand over to the TypeScript worker.
import { register } from "tsx/esm/api";

register();
const mod = await import("./image-worker.ts");
export default mod.default;
