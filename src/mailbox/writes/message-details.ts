/**
 * What is stored beside a message row when it arrives: its API body and MIME index, one row per
 * participant, its attachments.
 */
import type { AttachmentInfo } from "../../mail/attachments.ts";
import type { Tx } from "../../store/db.ts";

/** An attachment row: what the MIME index found, plus its id. */
export type AttachmentInsert = AttachmentInfo & { id: string };

const b = (v: boolean) => (v ? 1 : 0);

export function insertMessageDetails(
  tx: Tx,
  messageId: string,
  d: {
    body: string;
    envelopeJson: string;
    bodystructureJson: string;
    treeJson: string;
    searchText: { header: string; body: string };
  },
): void {
  const db = tx.$client;
  db.prepare("INSERT INTO message_search_text (message_id, header, body) VALUES (?, ?, ?)").run(
    messageId,
    d.searchText.header,
    d.searchText.body,
  );
  db.prepare("INSERT INTO message_bodies (message_id, body) VALUES (?, ?)").run(messageId, d.body);
  db.prepare(
    "INSERT INTO message_mime (message_id, envelope_json, bodystructure_json, tree_json) VALUES (?, ?, ?, ?)",
  ).run(messageId, d.envelopeJson, d.bodystructureJson, d.treeJson);
}

export function insertParticipants(
  tx: Tx,
  messageId: string,
  grantId: string,
  people: [kind: string, email: string][],
): void {
  const stmt = tx.$client.prepare(
    "INSERT INTO message_addresses (message_id, grant_id, kind, email) VALUES (?, ?, ?, ?)",
  );
  for (const [kind, email] of people) stmt.run(messageId, grantId, kind, email);
}

export function insertAttachments(
  tx: Tx,
  messageId: string,
  grantId: string,
  list: AttachmentInsert[],
): void {
  const stmt = tx.$client.prepare(
    `INSERT INTO attachments (id, message_id, grant_id, part_path, filename, content_type, size, content_id, disposition, is_inline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const a of list) {
    stmt.run(
      a.id,
      messageId,
      grantId,
      a.partPath,
      a.filename,
      a.contentType,
      a.size,
      a.contentId,
      a.disposition,
      b(a.isInline),
    );
  }
}
