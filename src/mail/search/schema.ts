/**
 * The full-text table behind `search_query_native`; rowid = messages.rowid. The tokenchars keep
 * whole email addresses as single tokens; tokens.ts relies on exactly this tokenizer (and on
 * rows being written with searchDocument), so change them together. Contentless: the text lives
 * in `messages`, and contentless_delete lets a row be deleted by rowid alone.
 */
export const MESSAGES_FTS_DDL = `CREATE VIRTUAL TABLE messages_fts USING fts5(
  subject, participants, from_addr, to_addr, cc_addr, body, filenames,
  content='', contentless_delete=1,
  tokenize="unicode61 remove_diacritics 2 tokenchars '@.-_+'"
)`;
