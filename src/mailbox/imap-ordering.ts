/**
 * What IMAP SORT and THREAD read of a folder: each message's dates, size, stored sort keys and
 * Message-ID links, from the message rows alone (no raw message, no MIME row). A row stored
 * before the keys existed (migration 0015, until src/maintenance/imap-sort-keys.ts has filled
 * it) has them computed here from its stored ENVELOPE.
 */
import type { ImapEnvelope } from "../mail/envelope.ts";
import { type SortKeys, sortKeys } from "../mail/sort-keys.ts";
import type { Store } from "../store/store.ts";

export interface OrderingRow extends SortKeys {
  uid: number;
  internalDate: number;
  /** The Date header, Unix seconds; null when absent or unreadable. */
  dateHeader: number | null;
  size: number;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  /** JSON array of the References Message-IDs, oldest first. */
  referencesJson: string;
}

/** RFC 5256: the sent date is the Date header's, or the internal date when it has none. */
export function sentDate(row: OrderingRow): number {
  return row.dateHeader ?? row.internalDate;
}

interface StoredRow extends Omit<OrderingRow, keyof SortKeys> {
  subject: string | null;
  subjectReply: number | null;
  from: string | null;
  to: string | null;
  cc: string | null;
  displayFrom: string | null;
  displayTo: string | null;
  envelopeJson: string | null;
}

/**
 * Every message of the folder, by UID. Plain SQL on the connection's statement cache: it reads the
 * whole folder (10,000 rows for the SORT target), where drizzle's per-row mapping doubled the time
 * (as for fetchRows). The MIME row is joined only for a row without keys.
 */
export function orderingRows(store: Store, grantId: string, folderId: string): OrderingRow[] {
  const rows = store.read.$client
    .prepare(
      `SELECT m.uid, m.internal_date AS internalDate, m.date_header AS dateHeader, m.size,
              m.message_id_header AS messageIdHeader, m.in_reply_to AS inReplyTo,
              m.references_json AS referencesJson, m.sort_subject AS subject,
              m.subject_reply AS subjectReply, m.sort_from AS "from", m.sort_to AS "to", m.sort_cc AS cc,
              m.display_from AS displayFrom, m.display_to AS displayTo, mm.envelope_json AS envelopeJson
         FROM messages m LEFT JOIN message_mime mm ON m.sort_subject IS NULL AND mm.message_id = m.id
        WHERE m.grant_id = ? AND m.folder_id = ? ORDER BY m.uid`,
    )
    .all(grantId, folderId) as StoredRow[];
  return rows.map(withKeys);
}

/** The row as an OrderingRow, in place (10,000 copies cost more than the query's mapping). */
function withKeys(row: StoredRow): OrderingRow {
  // envelopeJson stays on the object: deleting a property slows every later access to it.
  const out = row as unknown as OrderingRow;
  if (row.subject === null) {
    Object.assign(
      out,
      row.envelopeJson === null ? EMPTY : sortKeys(JSON.parse(row.envelopeJson) as ImapEnvelope),
    );
  } else {
    out.subjectReply = !!row.subjectReply;
  }
  return out;
}

const EMPTY: SortKeys = {
  subject: "",
  subjectReply: false,
  from: "",
  to: "",
  cc: "",
  displayFrom: "",
  displayTo: "",
};
