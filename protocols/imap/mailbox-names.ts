/**
 * Folders as IMAP mailboxes: a folder's IMAP name is its ancestors' names and its own joined by
 * "/", INBOX is INBOX; names go out in modified UTF-7 (encode.ts). LIST patterns (`*`, `%`).
 */
import type { ImapFolderRow } from "../../src/mailbox/imap-folders.ts";

export const DELIMITER = "/";

export interface MailboxEntry {
  folder: ImapFolderRow;
  /** The full IMAP name (Unicode). */
  path: string;
  hasChildren: boolean;
}

export class MailboxTree {
  readonly entries: MailboxEntry[];
  private readonly byPathLower = new Map<string, MailboxEntry>();
  private readonly byPathExact = new Map<string, MailboxEntry>();

  constructor(rows: ImapFolderRow[]) {
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const parents = new Set(rows.map((r) => r.parentId).filter((p): p is string => p !== null));
    const pathOf = (row: ImapFolderRow): string => {
      const names: string[] = [];
      const seen = new Set<string>();
      for (let r: ImapFolderRow | undefined = row; r && !seen.has(r.id); ) {
        seen.add(r.id);
        names.unshift(r.id === "inbox" ? "INBOX" : r.name);
        r = r.parentId ? rowById.get(r.parentId) : undefined;
      }
      return names.join(DELIMITER);
    };
    this.entries = rows.map((folder) => ({
      folder,
      path: pathOf(folder),
      hasChildren: parents.has(folder.id),
    }));
    for (const e of this.entries) {
      this.byPathExact.set(e.path, e);
      this.byPathLower.set(e.path.toLowerCase(), e);
    }
  }

  /** The mailbox an IMAP name designates: exactly, else case-insensitively (names are unique so). */
  find(path: string): MailboxEntry | null {
    const normalized = normalizePath(path);
    return this.byPathExact.get(normalized) ?? this.byPathLower.get(normalized.toLowerCase()) ?? null;
  }

  /**
   * Entries whose name matches, plus names implied by a deeper match that exist only as a level
   * of a path (a leaf name holding "/"): those come back with `folder` null.
   */
  match(reference: string, pattern: string): { path: string; entry: MailboxEntry | null }[] {
    const re = patternRegExp(reference + pattern);
    const out: { path: string; entry: MailboxEntry | null }[] = [];
    const seen = new Set<string>();
    for (const e of this.entries) {
      if (re.test(e.path)) {
        out.push({ path: e.path, entry: e });
        seen.add(e.path);
      }
    }
    for (const e of this.entries) {
      const parts = e.path.split(DELIMITER);
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join(DELIMITER);
        if (seen.has(prefix) || this.byPathExact.has(prefix)) continue;
        if (re.test(prefix)) {
          out.push({ path: prefix, entry: null });
          seen.add(prefix);
        }
      }
    }
    return out;
  }
}

/** "inbox/x" → "INBOX/x"; a trailing delimiter is dropped. */
export function normalizePath(path: string): string {
  let p = path.endsWith(DELIMITER) ? path.slice(0, -1) : path;
  if (p.toUpperCase() === "INBOX" || p.toUpperCase().startsWith(`INBOX${DELIMITER}`))
    p = `INBOX${p.slice(5)}`;
  return p;
}

/** `*` matches anything, `%` anything but the delimiter; INBOX matches in any case. */
export function patternRegExp(pattern: string): RegExp {
  const p = pattern.slice(0, 5).toUpperCase() === "INBOX" ? `INBOX${pattern.slice(5)}` : pattern;
  let re = "";
  for (const ch of p) {
    if (ch === "*") re += ".*";
    else if (ch === "%") re += "[^/]*";
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

/** The parent path of a name ("" at the top). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf(DELIMITER);
  return i < 0 ? "" : path.slice(0, i);
}

export function leafName(path: string): string {
  const i = path.lastIndexOf(DELIMITER);
  return i < 0 ? path : path.slice(i + 1);
}
