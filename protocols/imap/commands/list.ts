import { astringText, BadArgs, mailboxName } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";
import { mailboxOut } from "../encode.ts";
import { DELIMITER, type MailboxEntry } from "../mailbox-names.ts";
import type { Token } from "../parser.ts";
import { parseStatusItems, statusLine } from "../status-items.ts";

/**
 * LIST with LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154), CHILDREN (RFC 3348) and
 * LIST-STATUS (RFC 5819).
 */
export const list: ImapCommand = {
  name: "LIST",
  states: AUTHENTICATED,
  async handle(session, args) {
    const selection = new Set<string>();
    const selectionList = args.takeList();
    if (selectionList) for (const t of selectionList) selection.add(atomUpper(t, "selection option"));
    for (const opt of selection) {
      if (!["SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"].includes(opt)) {
        throw new BadArgs(`unknown LIST selection option ${opt.slice(0, 30)}`);
      }
    }
    if (selection.has("RECURSIVEMATCH") && !selection.has("SUBSCRIBED") && !selection.has("SPECIAL-USE")) {
      throw new BadArgs("RECURSIVEMATCH needs another selection option");
    }
    const reference = mailboxName(args.astring("reference"), "reference");
    const patternToken = args.next("mailbox pattern");
    const patterns =
      patternToken.kind === "list"
        ? patternToken.items.map((t) => mailboxName(astringText(t, "pattern"), "pattern"))
        : [mailboxName(astringText(patternToken, "pattern"), "pattern")];
    const returns = new Set<string>();
    let statusItems: string[] | null = null;
    if (args.takeAtom("RETURN")) {
      const opts = args.list("return options");
      for (let i = 0; i < opts.length; i++) {
        const opt = atomUpper(opts[i] as Token, "return option");
        if (opt === "STATUS") {
          const items = opts[++i];
          if (items?.kind !== "list") throw new BadArgs("RETURN STATUS needs a list of items");
          statusItems = parseStatusItems(items.items);
        } else if (["SUBSCRIBED", "CHILDREN", "SPECIAL-USE"].includes(opt)) {
          returns.add(opt);
        } else {
          throw new BadArgs(`unknown LIST return option ${opt.slice(0, 30)}`);
        }
      }
    }
    args.end();

    if (patterns.length === 1 && patterns[0] === "" && selection.size === 0) {
      session.send(`* LIST (\\Noselect) "${DELIMITER}" ""`);
      return ok("LIST completed");
    }
    const tree = session.mailboxTree();
    const seen = new Set<string>();
    const showSubscribed = returns.has("SUBSCRIBED") || selection.has("SUBSCRIBED");
    for (const pattern of patterns) {
      for (const { path, entry } of tree.match(reference, pattern)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const attrs: string[] = [];
        const extra: string[] = [];
        if (!entry) {
          if (selection.size > 0) continue;
          attrs.push("\\Noselect", "\\HasChildren");
        } else {
          const special = specialUse(entry);
          if (selection.has("SUBSCRIBED") && !entry.folder.subscribed) {
            if (selection.has("RECURSIVEMATCH") && hasSubscribedChild(tree.entries, entry)) {
              extra.push(' ("CHILDINFO" ("SUBSCRIBED"))');
            } else continue;
          }
          if (selection.has("SPECIAL-USE") && !special) continue;
          attrs.push(entry.hasChildren ? "\\HasChildren" : "\\HasNoChildren");
          if (special) attrs.push(special);
          if (showSubscribed && entry.folder.subscribed) attrs.push("\\Subscribed");
        }
        session.send(`* LIST (${attrs.join(" ")}) "${DELIMITER}" ${mailboxOut(path)}${extra.join("")}`);
        if (statusItems && entry) {
          const line = statusLine(session, entry, statusItems);
          if (line) session.send(line);
        }
      }
    }
    return ok("LIST completed");
  },
};

/** LSUB: subscribed mailboxes matching the pattern. */
export const lsub: ImapCommand = {
  name: "LSUB",
  states: AUTHENTICATED,
  async handle(session, args) {
    const reference = mailboxName(args.astring("reference"), "reference");
    const pattern = mailboxName(args.astring("mailbox pattern"), "pattern");
    args.end();
    for (const { path, entry } of session.mailboxTree().match(reference, pattern)) {
      if (!entry?.folder.subscribed) continue;
      const special = specialUse(entry);
      session.send(`* LSUB (${special ?? ""}) "${DELIMITER}" ${mailboxOut(path)}`);
    }
    return ok("LSUB completed");
  },
};

function atomUpper(t: Token, what: string): string {
  if (t.kind !== "atom") throw new BadArgs(`${what} must be an atom`);
  return t.value.toUpperCase();
}

/** The RFC 6154 attribute of a system folder (INBOX has none: its name says it). */
function specialUse(entry: MailboxEntry): string | null {
  const s = entry.folder.specialUse;
  return s && s !== "\\Inbox" ? s : null;
}

function hasSubscribedChild(entries: MailboxEntry[], parent: MailboxEntry): boolean {
  return entries.some((e) => e.path.startsWith(parent.path + DELIMITER) && e.folder.subscribed);
}
