/**
 * NOTIFY (RFC 5465): which mailboxes a session watches for which events, and what it has not been
 * told yet. Changes to mailboxes other than the selected one are coalesced per mailbox into one
 * `* STATUS` (their items follow the events asked for), mailbox creations, renames and deletions,
 * and subscriptions, into `* LIST` lines. The queue is bounded: past it, `* OK [NOTIFICATIONOVERFLOW]` and NOTIFY ends.
 */
import type { MailboxChange } from "../../src/domain/changes.ts";
import { Args, BadArgs, mailboxName } from "./args.ts";
import { fail } from "./completion.ts";
import { type FetchRequest, parseFetchRequest, setsSeen } from "./fetch-items.ts";
import { DELIMITER, type MailboxEntry, type MailboxTree } from "./mailbox-names.ts";
import type { Token } from "./parser.ts";

export const NOTIFY_EVENTS = [
  "MessageNew",
  "MessageExpunge",
  "FlagChange",
  "AnnotationChange",
  "MailboxName",
  "SubscriptionChange",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const BY_UPPER = new Map<string, NotifyEvent>(NOTIFY_EVENTS.map((e) => [e.toUpperCase(), e]));

export type NotifyFilter =
  | { kind: "SELECTED" | "SELECTED-DELAYED" | "INBOXES" | "PERSONAL" | "SUBSCRIBED" }
  | { kind: "SUBTREE" | "MAILBOXES"; names: string[] };

export interface NotifyGroup {
  filter: NotifyFilter;
  events: Set<NotifyEvent>;
  /** SELECTED's `MessageNew (fetch-att…)`: what a FETCH tells of each new message. */
  fetch?: FetchRequest;
}

export interface NotifyRequest {
  /** `SET STATUS`: tell each watched mailbox's STATUS at once. */
  status: boolean;
  groups: NotifyGroup[];
}

/** Past this many mailboxes or LIST lines waiting to be told, the session gets an overflow. */
export const NOTIFY_QUEUE_LIMIT = 1000;

/** `SET [STATUS] (filter events) …` after NOTIFY; null for `NONE`. */
export function parseNotify(tokens: Token[]): NotifyRequest | null {
  const [verb, ...rest] = tokens;
  const word = verb?.kind === "atom" ? verb.value.toUpperCase() : "";
  if (word === "NONE") {
    if (rest.length > 0) throw new BadArgs("NOTIFY NONE takes no arguments");
    return null;
  }
  if (word !== "SET") throw new BadArgs("NOTIFY needs SET or NONE");
  let status = false;
  if (rest[0]?.kind === "atom" && rest[0].value.toUpperCase() === "STATUS") {
    status = true;
    rest.shift();
  }
  if (rest.length === 0) throw new BadArgs("NOTIFY SET needs at least one event group");
  const groups = rest.map(parseGroup);
  const selected = groups.filter((g) => g.filter.kind === "SELECTED" || g.filter.kind === "SELECTED-DELAYED");
  if (selected.length > 1) throw new BadArgs("SELECTED and SELECTED-DELAYED may be given once, not both");
  return { status, groups };
}

function parseGroup(token: Token): NotifyGroup {
  if (token.kind !== "list") throw new BadArgs("an event group is a parenthesized list");
  const [kindToken, ...rest] = token.items;
  const kind = kindToken?.kind === "atom" ? kindToken.value.toUpperCase() : "";
  let filter: NotifyFilter;
  if (kind === "SUBTREE" || kind === "MAILBOXES") {
    const names = rest.shift();
    if (!names) throw new BadArgs(`${kind} needs a mailbox`);
    const list = names.kind === "list" ? names.items : [names];
    if (list.length === 0) throw new BadArgs(`${kind} needs a mailbox`);
    filter = { kind, names: list.map(nameOf) };
  } else if (["SELECTED", "SELECTED-DELAYED", "INBOXES", "PERSONAL", "SUBSCRIBED"].includes(kind)) {
    filter = { kind: kind as "SELECTED" };
  } else {
    throw new BadArgs("unknown NOTIFY filter");
  }
  const eventsToken = rest.shift();
  if (!eventsToken || rest.length > 0) throw new BadArgs("an event group is a filter and its events");
  const group: NotifyGroup = { filter, events: new Set() };
  group.events = parseEvents(eventsToken, group);
  return group;
}

function nameOf(t: Token): string {
  if (t.kind === "atom") return mailboxName(t.value);
  if (t.kind === "string") return mailboxName(t.bytes.toString("utf8"));
  throw new BadArgs("a mailbox name must be a string");
}

function parseEvents(token: Token, group: NotifyGroup): Set<NotifyEvent> {
  const filter = group.filter;
  const events = new Set<NotifyEvent>();
  if (token.kind === "atom" && token.value.toUpperCase() === "NONE") return events;
  if (token.kind !== "list" || token.items.length === 0) throw new BadArgs("events are NONE or a list");
  const selected = filter.kind === "SELECTED" || filter.kind === "SELECTED-DELAYED";
  for (let i = 0; i < token.items.length; i++) {
    const t = token.items[i] as Token;
    const event = t.kind === "atom" ? BY_UPPER.get(t.value.toUpperCase()) : undefined;
    if (!event) fail("unknown event", `BADEVENT (${NOTIFY_EVENTS.join(" ")})`);
    const attributes = event === "MessageNew" ? token.items[i + 1] : undefined;
    if (attributes?.kind === "list") {
      if (!selected) throw new BadArgs("MessageNew fetch attributes are for the selected mailbox only");
      group.fetch = newMessageFetch(attributes);
      i++;
    }
    if (selected && (event === "MailboxName" || event === "SubscriptionChange"))
      throw new BadArgs(`${event} is not a selected-mailbox event`);
    events.add(event);
  }
  const message = events.has("MessageNew") || events.has("MessageExpunge") || events.has("FlagChange");
  if (selected && events.has("FlagChange") && !(events.has("MessageNew") && events.has("MessageExpunge")))
    throw new BadArgs("FlagChange needs MessageNew and MessageExpunge");
  if (selected && !message && events.size > 0)
    throw new BadArgs("the selected mailbox's events are message events");
  return events;
}

/** `MessageNew (fetch-att…)` (RFC 5465 §5.2): FETCH items that do not set \Seen. */
function newMessageFetch(attributes: Token): FetchRequest {
  const request = parseFetchRequest(new Args([attributes], "MessageNew"));
  if (request.items.some(setsSeen))
    throw new BadArgs("MessageNew fetch attributes may not set \\Seen (use .PEEK)");
  return request;
}

/** The STATUS items that tell a watcher of these events what changed (as Dovecot answers). */
export function statusItemsFor(events: Set<NotifyEvent>): string[] {
  const items: string[] = [];
  if (events.has("MessageNew") || events.has("MessageExpunge")) items.push("MESSAGES");
  if (events.has("MessageNew")) items.push("UIDNEXT");
  if (events.has("MessageNew") || events.has("FlagChange")) items.push("UIDVALIDITY");
  if (events.has("FlagChange")) items.push("HIGHESTMODSEQ");
  return items;
}

/** What one change means for the mailboxes it touched. */
function eventsOf(change: MailboxChange): [string, NotifyEvent][] {
  switch (change.type) {
    case "message.created":
      return [[change.folderId, "MessageNew"]];
    case "message.deleted":
      return [[change.folderId, "MessageExpunge"]];
    case "message.moved":
      return [
        [change.fromFolderId, "MessageExpunge"],
        [change.folderId, "MessageNew"],
      ];
    case "message.updated":
      return [[change.folderId, "FlagChange"]];
    default:
      return [];
  }
}

/** A session's NOTIFY SET: what it watches, and the notifications not sent yet. */
export class Notifications {
  /** Folder id → the events that happened there since last told. */
  private readonly dirty = new Map<string, Set<NotifyEvent>>();
  /** Folders created, renamed or deleted since last told: id → the name it had before. */
  private readonly renamed = new Map<string, string | null>();
  private overflowed = false;
  /** Names whose subscription changed since last told, with the new state. */
  private readonly subscriptions = new Map<string, boolean>();
  /** Folder id → path, as last seen: a deleted folder's name comes from here. */
  private paths = new Map<string, string>();

  constructor(readonly groups: NotifyGroup[]) {}

  /** The selected mailbox's events, or null when the selected mailbox is not watched. */
  get selectedGroup(): NotifyGroup | null {
    return (
      this.groups.find((g) => g.filter.kind === "SELECTED" || g.filter.kind === "SELECTED-DELAYED") ?? null
    );
  }

  get overflow(): boolean {
    return this.overflowed;
  }

  /** Remembers the current names (at NOTIFY SET and after each delivery). */
  know(tree: MailboxTree): void {
    this.paths = new Map(tree.entries.map((e) => [e.folder.id, e.path]));
  }

  /** Notes a committed change of the account (the selected mailbox's are the session's own). */
  note(change: MailboxChange, selectedId: string | null): void {
    if (this.overflowed) return;
    if (change.type === "subscription.changed") {
      const name = change.imapName ?? (change.folderId ? this.paths.get(change.folderId) : undefined);
      if (name !== undefined) this.subscriptions.set(name, change.subscribed);
    } else if (change.type.startsWith("folder.")) {
      const id = (change as { folderId: string }).folderId;
      if (!this.renamed.has(id)) this.renamed.set(id, this.paths.get(id) ?? null);
    } else {
      for (const [folderId, event] of eventsOf(change)) {
        if (folderId === selectedId) continue;
        let events = this.dirty.get(folderId);
        if (!events) {
          events = new Set();
          this.dirty.set(folderId, events);
        }
        events.add(event);
      }
    }
    if (this.dirty.size + this.renamed.size + this.subscriptions.size > NOTIFY_QUEUE_LIMIT) {
      this.overflowed = true;
      this.dirty.clear();
      this.renamed.clear();
      this.subscriptions.clear();
    }
  }

  get pending(): boolean {
    return this.overflowed || this.dirty.size > 0 || this.renamed.size > 0 || this.subscriptions.size > 0;
  }

  /**
   * The watched, non-selected mailboxes whose events happened, each with the events it is watched
   * for; and the names created, renamed or deleted that a MailboxName watcher covers.
   */
  take(
    tree: MailboxTree,
    selectedId: string | null,
    subscribed: (path: string) => boolean,
  ): {
    statuses: { entry: MailboxEntry; events: Set<NotifyEvent> }[];
    names: { path: string; oldPath: string | null; exists: boolean }[];
    subscriptions: { path: string; subscribed: boolean }[];
  } {
    const statuses: { entry: MailboxEntry; events: Set<NotifyEvent> }[] = [];
    for (const [folderId, happened] of this.dirty) {
      const entry = tree.entries.find((e) => e.folder.id === folderId);
      if (!entry || folderId === selectedId) continue;
      const watched = this.eventsFor(entry.path, entry.folder.id === "inbox", subscribed);
      if ([...happened].some((e) => watched.has(e))) statuses.push({ entry, events: watched });
    }
    const names: { path: string; oldPath: string | null; exists: boolean }[] = [];
    for (const [folderId, oldPath] of this.renamed) {
      const entry = tree.entries.find((e) => e.folder.id === folderId);
      const path = entry?.path ?? oldPath;
      if (path === null || (entry && oldPath === entry.path)) continue;
      const watched = this.eventsFor(path, folderId === "inbox", subscribed);
      const watchedOld = oldPath === null ? watched : this.eventsFor(oldPath, false, subscribed);
      if (!watched.has("MailboxName") && !watchedOld.has("MailboxName")) continue;
      names.push({
        path,
        oldPath: entry && oldPath !== null && oldPath !== path ? oldPath : null,
        exists: !!entry,
      });
    }
    const subscriptions: { path: string; subscribed: boolean }[] = [];
    for (const [path, state] of this.subscriptions) {
      const entry = tree.find(path);
      if (this.eventsFor(path, entry?.folder.id === "inbox", subscribed).has("SubscriptionChange"))
        subscriptions.push({ path, subscribed: state });
    }
    this.dirty.clear();
    this.renamed.clear();
    this.subscriptions.clear();
    this.overflowed = false;
    this.know(tree);
    return { statuses, names, subscriptions };
  }

  /** The events the non-selected filters watch for on this mailbox. */
  eventsFor(path: string, inbox: boolean, subscribed: (path: string) => boolean): Set<NotifyEvent> {
    const events = new Set<NotifyEvent>();
    for (const group of this.groups) {
      if (covers(group.filter, path, inbox, subscribed)) for (const e of group.events) events.add(e);
    }
    return events;
  }
}

function covers(
  filter: NotifyFilter,
  path: string,
  inbox: boolean,
  subscribed: (path: string) => boolean,
): boolean {
  const lower = path.toLowerCase();
  switch (filter.kind) {
    case "SELECTED":
    case "SELECTED-DELAYED":
      return false;
    case "INBOXES":
      return inbox;
    case "PERSONAL":
      return true;
    case "SUBSCRIBED":
      return subscribed(path);
    case "MAILBOXES":
      return filter.names.some((n) => n.toLowerCase() === lower);
    case "SUBTREE":
      return filter.names.some((n) => {
        const name = n.toLowerCase();
        return lower === name || lower.startsWith(`${name}${DELIMITER}`);
      });
  }
}
