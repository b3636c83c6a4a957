import { folderlessSubscriptions } from "../../../src/mailbox/imap-folders.ts";
import { astringText, BadArgs, mailboxName } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { ok } from "../completion.ts";
import { mailboxOut } from "../encode.ts";
import { DELIMITER, type MailboxEntry, patternRegExp } from "../mailbox-names.ts";
import type { Token } from "../parser.ts";
import { parseStatusItems, statusLine } from "../status-items.ts";
import { Subscriptions } from "../subscriptions.ts";

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
    const subscriptions = accountSubscriptions(session);
    const matchers = patterns.map((p) => patternRegExp(reference + p));
    const listed: Listed[] = selection.has("SUBSCRIBED")
      ? subscribedNames(subscriptions, matchers, selection.has("RECURSIVEMATCH"))
      : patterns.flatMap((p) => tree.match(reference, p));
    const seen = new Set<string>();
    const showSubscribed = returns.has("SUBSCRIBED") || selection.has("SUBSCRIBED");
    for (const { path, entry, childInfo } of listed) {
      if (seen.has(path)) continue;
      seen.add(path);
      const special = entry && specialUse(entry);
      if (selection.has("SPECIAL-USE") && !special) continue;
      const attrs: string[] = [];
      if (!entry)
        attrs.push(...(selection.has("SUBSCRIBED") ? ["\\NonExistent"] : ["\\Noselect", "\\HasChildren"]));
      else attrs.push(entry.hasChildren ? "\\HasChildren" : "\\HasNoChildren");
      if (special) attrs.push(special);
      if (showSubscribed && subscriptions.has(path)) attrs.push("\\Subscribed");
      const extra = childInfo ? ' ("CHILDINFO" ("SUBSCRIBED"))' : "";
      session.send(`* LIST (${attrs.join(" ")}) "${DELIMITER}" ${mailboxOut(path)}${extra}`);
      if (statusItems && entry) {
        const line = statusLine(session, entry, statusItems);
        if (line) session.send(line);
      }
    }
    return ok("LIST completed");
  },
};

/**
 * LSUB: subscribed names matching the pattern, and with \Noselect a level the pattern matches that
 * is not subscribed but holds a subscribed name the pattern does not reach (RFC 3501 §6.3.9).
 */
export const lsub: ImapCommand = {
  name: "LSUB",
  states: AUTHENTICATED,
  async handle(session, args) {
    const reference = mailboxName(args.astring("reference"), "reference");
    const pattern = mailboxName(args.astring("mailbox pattern"), "pattern");
    args.end();
    const matcher = patternRegExp(reference + pattern);
    for (const { path, entry, childInfo } of subscribedNames(
      accountSubscriptions(session),
      [matcher],
      true,
    )) {
      const attrs = childInfo || !entry ? "\\Noselect" : (specialUse(entry) ?? "");
      session.send(`* LSUB (${attrs}) "${DELIMITER}" ${mailboxOut(path)}`);
    }
    return ok("LSUB completed");
  },
};

interface Listed {
  path: string;
  entry: MailboxEntry | null;
  /** Listed for a subscribed name below it that no pattern matches. */
  childInfo?: boolean;
}

/** LIST (SUBSCRIBED [RECURSIVEMATCH]): subscribed names, and parents listed for their children. */
function subscribedNames(subscriptions: Subscriptions, matchers: RegExp[], recursive: boolean): Listed[] {
  const out: Listed[] = [];
  for (const re of matchers) {
    for (const name of subscriptions.names()) {
      if (!re.test(name.path)) continue;
      if (name.subscribed) out.push({ path: name.path, entry: name.entry });
      else if (recursive && subscriptions.hasUnmatchedChild(name.path, matchers))
        out.push({ path: name.path, entry: name.entry, childInfo: true });
    }
  }
  return out;
}

function accountSubscriptions(session: CommandSession): Subscriptions {
  return new Subscriptions(
    session.mailboxTree(),
    folderlessSubscriptions(session.ctx.store, session.grantId),
  );
}

function atomUpper(t: Token, what: string): string {
  if (t.kind !== "atom") throw new BadArgs(`${what} must be an atom`);
  return t.value.toUpperCase();
}

/** The RFC 6154 attribute of a system folder (INBOX has none: its name says it). */
function specialUse(entry: MailboxEntry): string | null {
  const s = entry.folder.specialUse;
  return s && s !== "\\Inbox" ? s : null;
}
