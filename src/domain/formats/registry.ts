/**
 * @module registry
 * The chat-export formats this version reads. A new platform adds one line here (ROADMAP.md).
 */
import type { ChatFormat } from "./chat-format.ts";
import { whatsappFormat } from "./whatsapp/parse.ts";

export const CHAT_FORMATS: readonly ChatFormat[] = [whatsappFormat];
