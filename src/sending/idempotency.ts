import type { Tx } from "../store/db.ts";
import type { Store } from "../store/store.ts";

/**
 * Idempotency-Key for sends, kept one hour: per grant for a grant's sends, per application for
 * transactional sends (which have no grant). The first request claims the key (in_flight) with
 * its request's fingerprint; its response is then recorded (done) or, if it failed, the key is
 * released so the request can be tried again.
 */
export const IDEMPOTENCY_TTL_S = 3600;

/** Whose keys: a grant's (idempotency_keys) or an application's transactional sends. */
export type IdempotencyScope = { grantId: string } | { applicationId: string };

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: Record<string, unknown> }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

interface KeyRow {
  fingerprint: string;
  status: "in_flight" | "done";
  response_status: number | null;
  response_json: string | null;
}

/** The table and owner column of a scope (fixed strings: never from the request). */
function tableOf(scope: IdempotencyScope): { table: string; owner: string; id: string } {
  return "grantId" in scope
    ? { table: "idempotency_keys", owner: "grant_id", id: scope.grantId }
    : { table: "transactional_idempotency_keys", owner: "application_id", id: scope.applicationId };
}

export function claimKey(
  store: Store,
  scope: IdempotencyScope,
  key: string,
  fingerprint: string,
  nowS: number,
): Promise<Claim> {
  const { table, owner, id } = tableOf(scope);
  return store.writer.submit((tx): Claim => {
    run(tx, `DELETE FROM ${table} WHERE ${owner} = ? AND created_at < ?`, id, nowS - IDEMPOTENCY_TTL_S);
    const row = tx.$client
      .prepare(
        `SELECT fingerprint, status, response_status, response_json FROM ${table} WHERE ${owner} = ? AND key = ?`,
      )
      .get(id, key) as KeyRow | null;
    if (!row) {
      run(
        tx,
        `INSERT INTO ${table} (${owner}, key, fingerprint, status, created_at) VALUES (?, ?, ?, 'in_flight', ?)`,
        id,
        key,
        fingerprint,
        nowS,
      );
      return { kind: "claimed" };
    }
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (row.status === "in_flight") return { kind: "in_flight" };
    return {
      kind: "replay",
      status: row.response_status ?? 200,
      body: JSON.parse(row.response_json ?? "{}") as Record<string, unknown>,
    };
  });
}

/** Records the response a replay returns. */
export async function finishKey(
  store: Store,
  scope: IdempotencyScope,
  key: string,
  status: number,
  body: Record<string, unknown>,
): Promise<void> {
  const { table, owner, id } = tableOf(scope);
  await store.writer.submit((tx) =>
    run(
      tx,
      `UPDATE ${table} SET status = 'done', response_status = ?, response_json = ? WHERE ${owner} = ? AND key = ?`,
      status,
      JSON.stringify(body),
      id,
      key,
    ),
  );
}

/** The request failed: forget the key so a retry runs again. */
export async function releaseKey(store: Store, scope: IdempotencyScope, key: string): Promise<void> {
  const { table, owner, id } = tableOf(scope);
  await store.writer.submit((tx) => run(tx, `DELETE FROM ${table} WHERE ${owner} = ? AND key = ?`, id, key));
}

function run(tx: Tx, sql: string, ...params: (string | number)[]): void {
  tx.$client.prepare(sql).run(...params);
}
