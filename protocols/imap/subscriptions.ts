/**
 * An account's subscribed IMAP names: its subscribed folders and the names kept after IMAP deleted
 * a subscribed folder. What LSUB and LIST (SUBSCRIBED) walk (RFC 3501 §6.3.9, RFC 5258 §3).
 */
import { DELIMITER, type MailboxEntry, type MailboxTree } from "./mailbox-names.ts";

export interface SubscribedName {
  path: string;
  /** The folder of that name; null for a name with no folder. */
  entry: MailboxEntry | null;
  subscribed: boolean;
}

export class Subscriptions {
  private readonly subscribed = new Set<string>();

  constructor(
    private readonly tree: MailboxTree,
    folderless: readonly string[],
  ) {
    for (const e of tree.entries) if (e.folder.subscribed) this.subscribed.add(e.path);
    for (const name of folderless) if (!tree.find(name)) this.subscribed.add(name);
  }

  has(path: string): boolean {
    return this.subscribed.has(path);
  }

  /** Every subscribed name and every level above one, each after its parent levels. */
  names(): SubscribedName[] {
    const out: SubscribedName[] = [];
    const seen = new Set<string>();
    for (const path of this.subscribed) {
      const parts = path.split(DELIMITER);
      for (let i = 1; i <= parts.length; i++) {
        const level = parts.slice(0, i).join(DELIMITER);
        if (seen.has(level)) continue;
        seen.add(level);
        out.push({ path: level, entry: this.tree.find(level), subscribed: this.subscribed.has(level) });
      }
    }
    return out;
  }

  /**
   * Whether a subscribed name lies below `path` that no pattern matches: such a parent is listed
   * for its child's sake (LIST's CHILDINFO, LSUB's \Noselect).
   */
  hasUnmatchedChild(path: string, patterns: readonly RegExp[]): boolean {
    const prefix = path + DELIMITER;
    for (const name of this.subscribed) {
      if (name.startsWith(prefix) && !patterns.some((re) => re.test(name))) return true;
    }
    return false;
  }
}
