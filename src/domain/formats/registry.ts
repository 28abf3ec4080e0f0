/**
 * @module registry
 * The chat-export formats this version reads. A new platform is a new folder and one line here.
 */
import type { ChatFormat } from "./chat-format.ts";
import { whatsappFormat } from "./whatsapp/parse.ts";

export const CHAT_FORMATS: readonly ChatFormat[] = [whatsappFormat];
