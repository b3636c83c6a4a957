import { and, eq } from "drizzle-orm";
import { newId, nowSeconds } from "../ids.ts";
import { type RowidPage, rowidPage } from "../store/rowid-page.ts";
import { type SignatureRow, signatures } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * A grant's email signatures (Nylas's /v3/grants/{id}/signatures): named HTML snippets that a
 * send or a draft appends to its body when it names one (`signature_id`, src/sending/content.ts).
 */

const ofGrant = (grantId: string, id: string) => and(eq(signatures.grantId, grantId), eq(signatures.id, id));

export async function createSignature(
  store: Store,
  grantId: string,
  fields: { name: string; body: string },
): Promise<SignatureRow> {
  const now = nowSeconds();
  const row: SignatureRow = { id: newId(), grantId, ...fields, createdAt: now, updatedAt: now };
  await store.writer.submit((tx) => tx.insert(signatures).values(row).run());
  return row;
}

export function listSignatures(
  store: Store,
  grantId: string,
  limit: number,
  afterSeq: number,
): RowidPage<SignatureRow> {
  return rowidPage(store.read, signatures, eq(signatures.grantId, grantId), limit, afterSeq);
}

export function findSignature(store: Store, grantId: string, id: string): SignatureRow | null {
  return store.read.select().from(signatures).where(ofGrant(grantId, id)).get() ?? null;
}

/** The fields given replace the stored ones; null when the grant has no such signature. */
export async function updateSignature(
  store: Store,
  grantId: string,
  id: string,
  fields: { name?: string; body?: string },
): Promise<SignatureRow | null> {
  await store.writer.submit((tx) =>
    tx
      .update(signatures)
      .set({ ...fields, updatedAt: nowSeconds() })
      .where(ofGrant(grantId, id))
      .run(),
  );
  return findSignature(store, grantId, id);
}

/** Whether there was such a signature to delete. */
export async function deleteSignature(store: Store, grantId: string, id: string): Promise<boolean> {
  return store.writer.submit((tx) => {
    if (!tx.select({ id: signatures.id }).from(signatures).where(ofGrant(grantId, id)).get()) return false;
    tx.delete(signatures).where(ofGrant(grantId, id)).run();
    return true;
  });
}
