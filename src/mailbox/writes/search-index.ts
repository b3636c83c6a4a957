/**
 * A message's full-text row (messages_fts, contentless, rowid = the message's rowid). Its writes
 * are held until the batch commits (see src/store/before-commit.ts).
 */
import type { SearchDocument } from "../../mail/search/index-text.ts";
import { grantToken } from "../../mail/search/tokens.ts";
import type { Tx } from "../../store/db.ts";

/** Indexes a message for search, under its grant's token (grantToken). */
export function insertSearchRow(tx: Tx, rowid: number, grantId: string, doc: SearchDocument): void {
  const db = tx.$client;
  const subject = `${doc.subject} ${grantToken(grantId)}`;
  db.holdUntilCommit(() =>
    db
      .prepare(
        `INSERT INTO messages_fts (rowid, subject, participants, from_addr, to_addr, cc_addr, body, filenames)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rowid,
        subject,
        doc.participants,
        doc.from_addr,
        doc.to_addr,
        doc.cc_addr,
        doc.body,
        doc.filenames,
      ),
  );
}

/** Removes messages from the search index, in order with the inserts held for the commit. */
export function deleteSearchRows(tx: Tx, rowids: number[]): void {
  if (rowids.length === 0) return;
  const db = tx.$client;
  db.holdUntilCommit(() => {
    const stmt = db.prepare("DELETE FROM messages_fts WHERE rowid = ?");
    for (const rowid of rowids) stmt.run(rowid);
  });
}
