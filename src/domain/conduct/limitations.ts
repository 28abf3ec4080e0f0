/**
 * @module limitations
 * What a chat export cannot show. Printed in every report so that nobody reads more into it than it holds.
 */

export const EXPORT_LIMITATIONS: readonly string[] = [
  "No read receipts: an export cannot show who read or saw any message. 'Active in the window' means only that the person posted something else in that period.",
  "Deleted messages appear only as a placeholder ('This message was deleted'), and not at all if deleted for everyone before the export on some versions; their content is lost.",
  "Edits: an edited message shows its final text only; earlier versions are not exported.",
  "Reactions (emoji reactions to a message) are not exported, so approval given only by reaction cannot be seen.",
  "Quoted replies are not marked in WhatsApp exports: replies are inferred from timing (a time and message-count window), not from the reply link.",
  "Forwarded markers are not exported: reposting is inferred from identical or perceptually similar images only.",
  "Old messages may be missing: the export contains what the exporting phone held, and WhatsApp caps exports (about 10,000 messages with media, 40,000 without, depending on version).",
  "Times are the exporting phone's local wall clock with no time zone; a daylight-saving change inside a window can shift intervals by an hour.",
  "Membership: only joins and leaves recorded while the exporting phone was in the group appear; members who never posted are not listed and cannot be assessed.",
  "Media: pictures are present only if the export included media; view-once media and media the phone had deleted are absent.",
  "A report made outside the chat (to a supervisor, by phone, in person) does not appear in it: 'no challenge in the export' is not 'never reported'.",
  "Classifier scores are automated indications with stated reasons, not findings; every flagged item needs human review.",
];
