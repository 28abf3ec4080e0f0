/**
 * Generates realistic WhatsApp exports for benchmarks: Android or iOS header shapes, 60 participants
 * (some phone numbers, some iOS "~ " non-contacts, emoji), multi-line messages, attachments with
 * captions, media omitted, deleted and edited messages, system events. Deterministic (seeded PRNG).
 *
 *   node bin/run-ts.js bench/generate-export.ts --variant ios --messages 1000000 --out /tmp/ios.txt
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { pathToFileURL } from "node:url";

export interface GenerateOptions {
  variant: "android" | "ios";
  messages: number;
  participants?: number;
  seed?: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Alice",
  "Bob",
  "Carol",
  "Dave",
  "Erin",
  "Frank",
  "Grace",
  "Heidi",
  "Ivan",
  "Judy",
  "Mallory",
  "Niaj",
  "Olivia",
  "Peggy",
  "Rupert",
  "Sybil",
  "Trent",
  "Victor",
  "Walter",
  "Zoë",
  "José",
  "Søren",
  "Łukasz",
  "Aoife",
  "Siobhán",
];
const LAST = [
  "Smith",
  "Jones",
  "O'Brien",
  "García",
  "Müller",
  "Nguyen",
  "Patel",
  "Khan",
  "Brown",
  "Taylor",
  "Wilson",
  "Evans",
];
const WORDS =
  "the shift brief ok yes no maybe tonight tomorrow patrol custody sarge report van station coffee late early meeting call back done thanks cheers lol mate sorry sure fine radio car keys rota overtime leave court statement CCTV duty inspector".split(
    " ",
  );
const EMOJI = ["😂", "👍", "🙄", "👮‍♀️", "🚓", "❤️", "🤣", "😡", "👩🏻‍⚖️", "🎉"];

function pad(n: number): string {
  return n < 10 ? "0" + String(n) : String(n);
}

/** Yields the export in string chunks of about 1 MB. */
export function* generateExport(opts: GenerateOptions): Generator<string> {
  const rnd = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const n = opts.participants ?? 60;
  const ios = opts.variant === "ios";
  const people: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 12 === 5) {
      people.push(
        ios
          ? `+44\u00a07700\u00a09${String(100000 + i).slice(1)}`
          : `+44 7700 9${String(100000 + i).slice(1)}`,
      );
    } else if (ios && i % 15 === 7) people.push(`~\u00a0${pick(FIRST)}`);
    else people.push(`${pick(FIRST)} ${pick(LAST)}${i % 20 === 3 ? " " + pick(EMOJI) : ""}`);
  }
  let t = Date.UTC(2021, 0, 4, 7, 0, 0) / 1000;
  let out = "";
  const group = "Response Team 3";
  const header = (): string => {
    const d = new Date(t * 1000);
    const date = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    return ios
      ? `[${date}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}] `
      : `${date}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - `;
  };
  const sentence = (): string => {
    const len = 2 + Math.floor(rnd() * 14);
    const w: string[] = [];
    for (let i = 0; i < len; i++) w.push(rnd() < 0.06 ? pick(EMOJI) : pick(WORDS));
    return w.join(" ");
  };
  out += ios
    ? `${header()}${group}: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n`
    : `${header()}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n`;
  for (let i = 1; i < opts.messages; i++) {
    t += Math.floor(rnd() * rnd() * 600);
    const who = pick(people);
    const r = rnd();
    const h = header();
    if (r < 0.01) {
      const other = pick(people);
      const ev = pick([
        `${who} added ${other}`,
        `${who} left`,
        `${who} changed this group's icon`,
        `${who} changed the subject from “Shift A” to “Shift B”`,
      ]);
      out += ios ? `\u200e${h}${group}: \u200e${ev}\n` : `${h}${ev}\n`;
    } else if (r < 0.05) {
      const name = ios
        ? `${String(i).padStart(8, "0")}-PHOTO-2021-01-04-07-00-00.jpg`
        : `IMG-20210104-WA${String(i % 10000).padStart(4, "0")}.jpg`;
      out += ios
        ? `\u200e${h}${who}: \u200e<attached: ${name}>\n`
        : `${h}${who}: \u200e${name} (file attached)\n`;
      if (rnd() < 0.5) out += sentence() + "\n";
    } else if (r < 0.08) {
      out += ios ? `\u200e${h}${who}: \u200eimage omitted\n` : `${h}${who}: <Media omitted>\n`;
    } else if (r < 0.09) {
      out += ios
        ? `\u200e${h}${who}: \u200eThis message was deleted.\n`
        : `${h}${who}: This message was deleted\n`;
    } else if (r < 0.11) {
      out += `${h}${who}: ${sentence()}${ios ? " \u200e" : " "}<This message was edited>\n`;
    } else if (r < 0.2) {
      const lines = 2 + Math.floor(rnd() * 4);
      out += `${h}${who}: ${sentence()}`;
      for (let k = 1; k < lines; k++) out += "\n" + (rnd() < 0.15 ? "" : sentence());
      out += "\n";
    } else {
      out += `${h}${who}: ${sentence()}\n`;
    }
    if (out.length > 1 << 20) {
      yield out;
      out = "";
    }
  }
  if (out.length > 0) yield out;
}

/** Writes an export to `path`. */
export async function writeExport(path: string, opts: GenerateOptions): Promise<void> {
  const ws = createWriteStream(path);
  for (const chunk of generateExport(opts)) {
    if (!ws.write(chunk)) await once(ws, "drain");
  }
  ws.end();
  await once(ws, "finish");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (k: string, d: string): string => {
    const i = process.argv.indexOf(k);
    return i >= 0 ? (process.argv[i + 1] ?? d) : d;
  };
  const variant = arg("--variant", "android") === "ios" ? "ios" : "android";
  await writeExport(arg("--out", `/tmp/whatsapp-${variant}.txt`), {
    variant,
    messages: Number(arg("--messages", "1000000")),
    seed: Number(arg("--seed", "42")),
  });
}
