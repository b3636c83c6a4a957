import { and, eq, type SQL, sql } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import { newId, nowSeconds } from "../ids.ts";
import type { Tx } from "../store/db.ts";
import { type RowidPage, rowidPage } from "../store/rowid-page.ts";
import { type ContactRow, contacts } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * A grant's address book (Nylas's /v3/grants/{id}/contacts): each contact's fields as Nylas names
 * them, validated by the API (src/api/contact-body.ts) and kept as JSON. Contacts made through the
 * API are the `address_book` source; this server derives none from mail. Each change writes its
 * event-log row (contact.created, contact.updated, contact.deleted) in its own unit.
 */

/** The account a contact belongs to: its id, and its application (whose webhooks hear of it). */
export interface ContactOwner {
  id: string;
  applicationId: string;
}

function recordContactChange(
  tx: Tx,
  owner: ContactOwner,
  type: "contact.created" | "contact.updated" | "contact.deleted",
  id: string,
): Promise<void> {
  return recordEvent(tx, {
    applicationId: owner.applicationId,
    grantId: owner.id,
    type,
    object: { id, grant_id: owner.id, object: "contact" },
  });
}

export type ContactFields = Record<string, unknown>;

const ofGrant = (grantId: string, id: string) => and(eq(contacts.grantId, grantId), eq(contacts.id, id));

export async function createContact(
  store: Store,
  owner: ContactOwner,
  fields: ContactFields,
): Promise<ContactRow> {
  const now = nowSeconds();
  const row: ContactRow = {
    id: newId(),
    grantId: owner.id,
    fieldsJson: JSON.stringify(fields),
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit(async (tx) => {
    tx.insert(contacts).values(row).run();
    await recordContactChange(tx, owner, "contact.created", row.id);
  });
  return row;
}

export interface ContactFilter {
  /** An address among the contact's `emails`, any case. */
  email?: string;
  /** A number among its `phone_numbers`, as written. */
  phoneNumber?: string;
}

export function listContacts(
  store: Store,
  grantId: string,
  filter: ContactFilter,
  limit: number,
  afterSeq: number,
): RowidPage<ContactRow> {
  const where: (SQL | undefined)[] = [eq(contacts.grantId, grantId)];
  if (filter.email !== undefined) {
    where.push(
      sql`EXISTS (SELECT 1 FROM json_each(${contacts.fieldsJson}, '$.emails') e WHERE lower(json_extract(e.value, '$.email')) = ${filter.email.toLowerCase()})`,
    );
  }
  if (filter.phoneNumber !== undefined) {
    where.push(
      sql`EXISTS (SELECT 1 FROM json_each(${contacts.fieldsJson}, '$.phone_numbers') p WHERE json_extract(p.value, '$.number') = ${filter.phoneNumber})`,
    );
  }
  return rowidPage(store.read, contacts, and(...where), limit, afterSeq);
}

export function findContact(store: Store, grantId: string, id: string): ContactRow | null {
  return store.read.select().from(contacts).where(ofGrant(grantId, id)).get() ?? null;
}

/** PUT: each field given replaces the stored one whole (Nylas); null when there is no such contact. */
export async function updateContact(
  store: Store,
  owner: ContactOwner,
  id: string,
  changes: ContactFields,
): Promise<ContactRow | null> {
  await store.writer.submit(async (tx) => {
    const row = tx.select().from(contacts).where(ofGrant(owner.id, id)).get();
    if (!row) return;
    const fields = { ...(JSON.parse(row.fieldsJson) as ContactFields), ...changes };
    tx.update(contacts)
      .set({ fieldsJson: JSON.stringify(fields), updatedAt: nowSeconds() })
      .where(ofGrant(owner.id, id))
      .run();
    await recordContactChange(tx, owner, "contact.updated", id);
  });
  return findContact(store, owner.id, id);
}

export async function deleteContact(store: Store, owner: ContactOwner, id: string): Promise<boolean> {
  return store.writer.submit(async (tx) => {
    if (!tx.select({ id: contacts.id }).from(contacts).where(ofGrant(owner.id, id)).get()) return false;
    tx.delete(contacts).where(ofGrant(owner.id, id)).run();
    await recordContactChange(tx, owner, "contact.deleted", id);
    return true;
  });
}
