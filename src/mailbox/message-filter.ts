import { and, eq, gt, inArray, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { FOLDER } from "../domain/system-folders.ts";
import { messageAddresses, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { grantMatch } from "./search-scope.ts";

/** The list filters of GET /messages (reference §3.1), already validated. */
export interface MessageFilter {
  subject?: string;
  anyEmail?: string[];
  to?: string[];
  from?: string[];
  cc?: string[];
  bcc?: string[];
  /** Folder ids; without it, drafts are left out (they have their own endpoint). */
  in?: string[];
  unread?: boolean;
  starred?: boolean;
  threadId?: string;
  receivedBefore?: number;
  receivedAfter?: number;
  hasAttachment?: boolean;
  metadataPair?: { key: string; value: string };
  /**
   * An FTS5 MATCH expression (already compiled from search_query_native); filterConditions scopes
   * it to the grant inside the index (search-scope.ts).
   */
  ftsMatch?: string;
}

/**
 * The SQL conditions of a filter, scoped to one grant. `byIds`: the caller restricts the rows to
 * a short list of ids; the grant test is then written `+grant_id` so SQLite looks the ids up
 * instead of walking the grant's date index (it has no statistics to know better).
 */
export function filterConditions(store: Store, grantId: string, f: MessageFilter, byIds = false): SQL {
  const c: (SQL | undefined)[] = [
    byIds ? sql`+${messages.grantId} = ${grantId}` : eq(messages.grantId, grantId),
  ];
  c.push(f.in ? inArray(messages.folderId, f.in) : ne(messages.folderId, FOLDER.drafts));
  if (f.subject !== undefined) {
    // subject_folded is lower-cased with Unicode rules at ingest; LIKE alone folds only ASCII.
    c.push(sql`${messages.subjectFolded} LIKE ${`%${escapeLike(f.subject.toLowerCase())}%`} ESCAPE '\\'`);
  }
  if (f.unread !== undefined) c.push(eq(messages.seen, !f.unread));
  if (f.starred !== undefined) c.push(eq(messages.flagged, f.starred));
  if (f.threadId !== undefined) c.push(eq(messages.threadId, f.threadId));
  if (f.receivedBefore !== undefined) c.push(lt(messages.internalDate, f.receivedBefore));
  if (f.receivedAfter !== undefined) c.push(gt(messages.internalDate, f.receivedAfter));
  if (f.hasAttachment !== undefined) c.push(eq(messages.hasAttachments, f.hasAttachment));
  if (f.metadataPair) {
    const { key, value } = f.metadataPair;
    c.push(
      sql`EXISTS (SELECT 1 FROM json_each(${messages.metadataJson}) WHERE key = ${key} AND value = ${value})`,
    );
  }
  if (f.anyEmail) c.push(hasParticipant(grantId, f.anyEmail));
  for (const kind of ["to", "from", "cc", "bcc"] as const) {
    const emails = f[kind];
    if (emails) c.push(hasParticipant(grantId, emails, kind));
  }
  if (f.ftsMatch !== undefined) {
    const match = grantMatch(store, grantId, f.ftsMatch);
    c.push(sql`${messages}.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`);
  }
  return and(...c) as SQL;
}

function hasParticipant(grantId: string, emails: string[], kind?: string): SQL {
  const match = and(participantMatch(grantId, emails, kind), eq(messageAddresses.messageId, messages.id));
  return sql`EXISTS (SELECT 1 FROM ${messageAddresses} WHERE ${match})`;
}

/** `message_addresses` rows of the grant for these addresses (`kind`: as to/from/cc/bcc only). */
export function participantMatch(grantId: string, emails: string[], kind?: string): SQL | undefined {
  return and(
    eq(messageAddresses.grantId, grantId),
    inArray(
      messageAddresses.email,
      emails.map((e) => e.toLowerCase()),
    ),
    kind ? eq(messageAddresses.kind, kind) : undefined,
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Position in newest-first order: (internal_date, rowid), both descending. */
export interface ListPosition {
  date: number;
  seq: number;
}

export function afterPosition(p: ListPosition): SQL {
  return or(
    lt(messages.internalDate, p.date),
    and(eq(messages.internalDate, p.date), sql`${messages}.rowid < ${p.seq}`),
  ) as SQL;
}
