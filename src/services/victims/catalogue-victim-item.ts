/**
 * @module catalogue-victim-item
 * Puts an image or message on the victims worklist, by reference to the evidence (an image's sha256 or
 * perceptual hash; a message's export and record index), never by copying it.
 */
import { z } from "zod";
import { normalisePhash } from "../../domain/detect/images/phash.ts";
import { findCase } from "../../storage/repositories/case.repository.ts";
import { appendLedgerEvent } from "../../storage/repositories/ledger.repository.ts";
import { insertVictimItem } from "../../storage/repositories/victim.repository.ts";
import { found, parseInput, requireRole, type CaseDeps } from "../cases/case-deps.ts";
import { ActorSchema, NowSchema, TextSchema } from "../cases/case-schemas.ts";

export const VICTIM_TRACK_ROLES = [
  "victim_liaison",
  "investigator",
  "protection_officer",
  "appropriate_authority",
] as const;

const Ref = z.discriminatedUnion("itemKind", [
  z
    .object({
      itemKind: z.literal("image"),
      imageSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      /** 16 hex digits, or sharp-phash's 64 "0"/"1" characters; stored as hex. */
      imagePhash: z
        .string()
        .refine((v) => normalisePhash(v) !== null, { message: "not a 64-bit perceptual hash" })
        .transform((v) => normalisePhash(v) ?? v)
        .optional(),
    })
    .refine((v) => v.imageSha256 !== undefined || v.imagePhash !== undefined, {
      message: "an image needs its sha256 or phash",
    }),
  z.object({ itemKind: z.literal("message"), exportId: z.guid(), recordIdx: z.number().int().min(0) }),
]);

const Schema = z.object({
  orgId: z.guid(),
  caseId: z.guid(),
  actor: ActorSchema,
  ref: Ref,
  description: TextSchema,
  now: NowSchema,
});
export type CatalogueVictimItemInput = z.input<typeof Schema>;

/** @throws AppError FORBIDDEN, NOT_FOUND, INVALID_INPUT */
export async function catalogueVictimItem(
  deps: CaseDeps,
  input: CatalogueVictimItemInput,
): Promise<{ itemId: string }> {
  const inp = parseInput(Schema, input);
  requireRole(inp.actor, VICTIM_TRACK_ROLES, "cataloguing a victims item");
  const now = inp.now ?? new Date();
  const ref = inp.ref;
  return deps.db.transaction(async (tx) => {
    const c = found(await findCase(tx, inp.orgId, inp.caseId), "case");
    const item = await insertVictimItem(tx, {
      orgId: inp.orgId,
      caseId: inp.caseId,
      itemKind: ref.itemKind,
      imageSha256: ref.itemKind === "image" ? (ref.imageSha256 ?? null) : null,
      imagePhash: ref.itemKind === "image" ? (ref.imagePhash ?? null) : null,
      exportId: ref.itemKind === "message" ? ref.exportId : null,
      recordIdx: ref.itemKind === "message" ? ref.recordIdx : null,
      description: inp.description,
      cataloguedBy: inp.actor.userId,
      at: now,
    });
    await appendLedgerEvent(tx, {
      orgId: inp.orgId,
      eventType: "victim.catalogued",
      caseRef: c.reference,
      actor: inp.actor.userId,
      payload: { itemId: item.id, ref },
      occurredAt: now,
    });
    return { itemId: item.id };
  });
}
