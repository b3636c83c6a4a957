-- IMAP (issue #4): every UID that left a folder (moved out, expunged, deleted), with the MODSEQ of
-- its departure, so a QRESYNC client is told exactly which UIDs vanished since its last MODSEQ.
CREATE TABLE expunged (
  grant_id TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  uid INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  PRIMARY KEY (grant_id, folder_id, uid),
  FOREIGN KEY (grant_id, folder_id) REFERENCES folders(grant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX expunged_modseq ON expunged(grant_id, folder_id, modseq);
