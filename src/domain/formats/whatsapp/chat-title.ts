/**
 * @module chat-title
 * The chat's name is only in the export's file name (FORMATS.md 1.9) or in system lines. Localised
 * prefixes and their "_" variants (shared via some apps) are removed, as are ".txt"/".zip".
 */

const PREFIXES = [
  "WhatsApp Chat with ",
  "WhatsApp Chat - ",
  "WhatsApp Chat mit ",
  "WhatsApp-Chat mit ",
  "Chat de WhatsApp con ",
  "Чат WhatsApp с ",
  "Chat WhatsApp con ",
  "Chat WhatsApp com ",
  "Conversa no WhatsApp com ",
  "Conversa do WhatsApp com ",
  "Discussion WhatsApp avec ",
  "WhatsApp-chat met ",
  "WhatsApp Chat met ",
];

/** The chat title a file name carries, or null (e.g. "_chat.txt"). */
export function titleFromFileName(name: string): string | null {
  let base = name.replace(/^.*[\\/]/, "");
  base = base.replace(/\.(txt|zip)$/i, "");
  base = base.replace(/\.(txt|zip)$/i, "");
  const underscored = base.replace(/_/g, " ");
  for (const cand of [base, underscored]) {
    for (const pre of PREFIXES) {
      if (cand.toLowerCase().startsWith(pre.toLowerCase())) {
        const t = cand.slice(pre.length).trim();
        return t.length > 0 ? t : null;
      }
    }
  }
  if (/^_?chat$/i.test(base) || base.length === 0) return null;
  return null;
}
