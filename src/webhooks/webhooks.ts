import { and, asc, eq, inArray } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import type { Tx } from "../store/db.ts";
import { type WebhookRow, webhookDeliveries, webhooks } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { newSecret } from "./signature.ts";

/** Webhook endpoints: the rows behind /v3/webhooks. Every lookup is scoped to an application. */

export type WebhookStatus = WebhookRow["status"];

export interface WebhookSettings {
  url: string;
  description: string | null;
  triggerTypes: string[];
  compressedDelivery: boolean;
  notificationEmailAddresses: string[];
}

/** A new endpoint starts at the head of the log: it receives what is committed after it exists. */
export async function createWebhook(
  store: Store,
  applicationId: string,
  settings: WebhookSettings,
): Promise<WebhookRow> {
  const now = nowSeconds();
  return store.writer.submit(async (tx) => {
    const row: WebhookRow = {
      id: newUuid(),
      applicationId,
      ...columnsOf(settings),
      secret: newSecret(),
      status: "active",
      statusUpdatedAt: now,
      cursor: logHead(tx),
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(webhooks).values(row);
    return row;
  });
}

export function listWebhooks(store: Store, applicationId: string): Promise<WebhookRow[]> {
  return store.read
    .select()
    .from(webhooks)
    .where(eq(webhooks.applicationId, applicationId))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

/** The caller's endpoint, or null (another application's endpoint does not exist for it). */
export async function findWebhook(
  store: Store,
  applicationId: string,
  id: string,
): Promise<WebhookRow | null> {
  const [row] = await store.read
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.applicationId, applicationId)));
  return row ?? null;
}

/** Any application's endpoint (the webhook dispatcher's view). */
export async function loadWebhook(store: Store, id: string): Promise<WebhookRow | null> {
  const [row] = await store.read.select().from(webhooks).where(eq(webhooks.id, id));
  return row ?? null;
}

export function allWebhooks(store: Store): Promise<WebhookRow[]> {
  return store.read.select().from(webhooks);
}

export interface WebhookChanges extends Partial<WebhookSettings> {
  /** Only what a client may set: `active` (also: reactivate) or `pause`. */
  status?: "active" | "pause";
}

/**
 * Applies a PUT. Setting `active` on an endpoint that was paused, failing or failed reactivates
 * it: its pending and failed notifications become due now, and delivery resumes after its cursor.
 */
export async function updateWebhook(store: Store, id: string, changes: WebhookChanges): Promise<WebhookRow> {
  const now = nowSeconds();
  return store.writer.submit(async (tx) => {
    const [current] = await tx.select().from(webhooks).where(eq(webhooks.id, id));
    if (!current) throw new Error(`webhook ${id} vanished`);
    const statusChanged = changes.status !== undefined && changes.status !== current.status;
    const next: WebhookRow = {
      ...current,
      ...columnsOf({ ...settingsOf(current), ...withoutStatus(changes) }),
      ...(statusChanged && { status: changes.status, statusUpdatedAt: now }),
      updatedAt: now,
    };
    await tx.update(webhooks).set(next).where(eq(webhooks.id, id));
    if (statusChanged && changes.status === "active") {
      await tx
        .update(webhookDeliveries)
        .set({ status: "pending", nextAttemptAtMs: Date.now(), updatedAt: now })
        .where(
          and(eq(webhookDeliveries.webhookId, id), inArray(webhookDeliveries.status, ["pending", "failed"])),
        );
    }
    return next;
  });
}

/** A new secret, effective for every delivery prepared from now on. */
export async function rotateSecret(store: Store, id: string): Promise<WebhookRow> {
  const now = nowSeconds();
  return store.writer.submit(async (tx) => {
    const [row] = await tx
      .update(webhooks)
      .set({ secret: newSecret(), updatedAt: now })
      .where(eq(webhooks.id, id))
      .returning();
    if (!row) throw new Error(`webhook ${id} vanished`);
    return row;
  });
}

/** Removes the endpoint and its delivery rows; the events it held back may then be swept. */
export async function deleteWebhook(store: Store, id: string): Promise<void> {
  await store.writer.submit((tx) => tx.delete(webhooks).where(eq(webhooks.id, id)));
}

export function triggersOf(row: WebhookRow): string[] {
  return JSON.parse(row.triggerTypesJson) as string[];
}

function settingsOf(row: WebhookRow): WebhookSettings {
  return {
    url: row.url,
    description: row.description,
    triggerTypes: triggersOf(row),
    compressedDelivery: row.compressedDelivery,
    notificationEmailAddresses: JSON.parse(row.notificationEmailAddressesJson) as string[],
  };
}

function columnsOf(s: WebhookSettings) {
  return {
    url: s.url,
    description: s.description,
    triggerTypesJson: JSON.stringify(s.triggerTypes),
    compressedDelivery: s.compressedDelivery,
    notificationEmailAddressesJson: JSON.stringify(s.notificationEmailAddresses),
  };
}

function withoutStatus(changes: WebhookChanges): Partial<WebhookSettings> {
  const { status: _status, ...settings } = changes;
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** The head of the log as the writer sees it (inside the transaction: nothing can commit between). */
function logHead(tx: Tx): number {
  const row = tx.$client.prepare("SELECT max(seq) AS seq FROM events").get() as { seq: number | null } | null;
  return row?.seq ?? 0;
}
