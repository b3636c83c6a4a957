import { and, eq, lt } from "drizzle-orm";
import { idempotencyKeys } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Idempotency-Key for sends, per grant, kept one hour. The first request claims the key
 * (in_flight) with its request's fingerprint; its response is then recorded (done) or, if it
 * failed, the key is released so the request can be tried again.
 */
export const IDEMPOTENCY_TTL_S = 3600;

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: Record<string, unknown> }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

export function claimKey(
  store: Store,
  grantId: string,
  key: string,
  fingerprint: string,
  nowS: number,
): Promise<Claim> {
  return store.writer.submit(async (tx): Promise<Claim> => {
    await tx
      .delete(idempotencyKeys)
      .where(
        and(eq(idempotencyKeys.grantId, grantId), lt(idempotencyKeys.createdAt, nowS - IDEMPOTENCY_TTL_S)),
      );
    const row = await tx.query.idempotencyKeys.findFirst({ where: keyOf(grantId, key) });
    if (!row) {
      await tx
        .insert(idempotencyKeys)
        .values({ grantId, key, fingerprint, status: "in_flight", createdAt: nowS });
      return { kind: "claimed" };
    }
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (row.status === "in_flight") return { kind: "in_flight" };
    return {
      kind: "replay",
      status: row.responseStatus ?? 200,
      body: JSON.parse(row.responseJson ?? "{}") as Record<string, unknown>,
    };
  });
}

/** Records the response a replay returns. */
export async function finishKey(
  store: Store,
  grantId: string,
  key: string,
  status: number,
  body: Record<string, unknown>,
): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(idempotencyKeys)
      .set({ status: "done", responseStatus: status, responseJson: JSON.stringify(body) })
      .where(keyOf(grantId, key)),
  );
}

/** The request failed: forget the key so a retry runs again. */
export async function releaseKey(store: Store, grantId: string, key: string): Promise<void> {
  await store.writer.submit((tx) => tx.delete(idempotencyKeys).where(keyOf(grantId, key)));
}

function keyOf(grantId: string, key: string) {
  return and(eq(idempotencyKeys.grantId, grantId), eq(idempotencyKeys.key, key));
}
