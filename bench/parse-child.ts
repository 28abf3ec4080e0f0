/**
 * Child process for bench/parse.bench.ts, so each measurement has its own peak RSS:
 *   node bin/run-ts.js bench/parse-child.ts peer <file>      whatsapp-chat-parser: read file, parseString
 *   node bin/run-ts.js bench/parse-child.ts ours <file>      our parser in process, records discarded
 * Prints one JSON line {records, seconds, cpuSeconds} measured from before reading the file to after parsing.
 */
import { readFile } from "node:fs/promises";
import { parseString } from "whatsapp-chat-parser";
import { whatsappFormat } from "../src/domain/formats/whatsapp/parse.ts";
import { fileByteSource } from "../src/services/open-export-source.ts";

const [mode, file] = process.argv.slice(2);
if (!file || (mode !== "peer" && mode !== "ours")) {
  process.stderr.write("usage: parse-child.ts peer|ours <file>\n");
  process.exit(2);
}
const t0 = performance.now();
const c0 = process.cpuUsage();
let records = 0;
if (mode === "peer") {
  const text = await readFile(file, "utf8");
  records = parseString(text, { parseAttachments: true }).length;
} else {
  const gen = whatsappFormat.parse(fileByteSource(file));
  for (let r = await gen.next(); !r.done; r = await gen.next()) records += r.value.length;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ records, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }) + "\n");
