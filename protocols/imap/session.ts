/**
 * One IMAP session: its state (RFC 3501 §3), the logged-in account, the selected mailbox, and the
 * command dispatcher. It reads committed state through src/mailbox/ and changes it only through
 * the account's actor (Mailboxes); it hears every committed change of the account on the ChangeBus.
 */
import { passwordVersion } from "../../src/accounts/grants.ts";
import type { MailboxChange } from "../../src/domain/changes.ts";
import { MailboxError } from "../../src/domain/errors.ts";
import { folderHighestModseq, imapFolders } from "../../src/mailbox/imap-folders.ts";
import { Args, BadArgs } from "./args.ts";
import { capabilities } from "./capabilities.ts";
import type { CommandCall, ImapCommand } from "./command.ts";
import type { CommandSession, ImapServices, SessionState } from "./command-session.ts";
import { sendFetch } from "./commands/fetch.ts";
import { CommandError, type Completion, fail } from "./completion.ts";
import { respText } from "./encode.ts";
import type { CommandFrame } from "./framer.ts";
import { type MailboxEntry, MailboxTree } from "./mailbox-names.ts";
import type { Notifications } from "./notify.ts";
import { notificationLines } from "./notify-lines.ts";
import { ParseError, parseCommand } from "./parser.ts";
import { SearchContexts } from "./search-contexts.ts";
import type { SelectedMailbox } from "./selected.ts";
import type { SessionIO } from "./session-io.ts";

/** What the dispatcher is built with: the shared services and the command table. */
export interface ImapContext extends ImapServices {
  commands: Map<string, ImapCommand>;
}

const SIGNED_OUT = "* BYE The app password was changed or the account removed; log in again";

const ERROR_CODES: Record<MailboxError["code"], string> = {
  not_found: "NONEXISTENT",
  invalid: "CANNOT",
  over_quota: "OVERQUOTA",
  conflict: "INUSE",
  too_big: "TOOBIG",
  rate_limited: "LIMIT",
  blocked: "CANNOT",
  unavailable: "UNAVAILABLE",
};

export class Session implements CommandSession {
  state: SessionState = "not-authenticated";
  grantId = "";
  email = "";
  private passwordVersion = 0;
  selected: SelectedMailbox | null = null;
  readonly enabled = new Set<string>();
  condstore = false;
  readonly searchContexts = new SearchContexts();
  notify: Notifications | null = null;
  private notificationsDue = false;
  /** NOTIFY's FETCH of new messages being written: the next command waits for it. */
  private pushing: Promise<void> = Promise.resolve();
  private contextsDue = false;
  idling = false;
  idleTimedOut = false;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  /** A command is being executed (IDLE included). */
  private running = false;
  /** The login no longer stands; told while a command ran, the session ends after it. */
  private signedOut = false;

  constructor(
    readonly ctx: ImapContext,
    readonly io: SessionIO,
  ) {}

  get qresync(): boolean {
    return this.enabled.has("QRESYNC");
  }

  greeting(): void {
    this.send(`* OK [CAPABILITY ${capabilities(this).join(" ")}] agentbox IMAP4rev1 ready`);
  }

  send(line: string): void {
    this.io.write(`${line}\r\n`);
  }

  /** Runs one framed command; returns false when the connection must close. */
  async execute(frame: CommandFrame): Promise<boolean> {
    await this.pushing;
    this.running = true;
    try {
      const keepOpen = await this.dispatch(frame);
      if (keepOpen && this.signedOut) this.send(SIGNED_OUT);
      return keepOpen && !this.signedOut;
    } finally {
      this.running = false;
    }
  }

  private async dispatch(frame: CommandFrame): Promise<boolean> {
    let parsed: ReturnType<typeof parseCommand>;
    try {
      parsed = parseCommand(frame);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      if (this.idleTimedOut && isDone(frame)) {
        this.idleTimedOut = false;
        return true;
      }
      this.send(`${err.tag} BAD ${respText(err.message)}`);
      return true;
    }
    this.idleTimedOut = false;
    const { tag } = parsed;
    let { name, args } = parsed;
    let uid = false;
    if (name === "UID") {
      const sub = args[0];
      if (sub?.kind !== "atom") {
        this.send(`${tag} BAD UID needs a command`);
        return true;
      }
      uid = true;
      name = sub.value.toUpperCase();
      args = args.slice(1);
    }
    const spec = this.ctx.commands.get(name);
    if (!spec || (uid && !spec.uid)) {
      this.send(`${tag} BAD Unknown command ${respText(uid ? `UID ${name}` : name).slice(0, 40)}`);
      return true;
    }
    if (!spec.states.includes(this.state)) {
      const why = this.state === "not-authenticated" ? "log in first" : "select a mailbox first";
      this.send(`${tag} BAD ${name} is not valid in this state: ${why}`);
      return true;
    }
    if (this.grantId && !this.credentialsCurrent()) {
      this.send(SIGNED_OUT);
      return false;
    }
    const call: CommandCall = { tag, name, uid };
    let done: Completion;
    try {
      done = await spec.handle(this, new Args(args, name), call);
    } catch (err) {
      done = this.failure(err, name);
    }
    if (this.closed) return false;
    if (this.state === "logout") {
      this.tagged(tag, done);
      return false;
    }
    const allowExpunge = uid || !["FETCH", "STORE", "SEARCH"].includes(name);
    const floor = this.lastUid();
    this.flushChanges(allowExpunge);
    this.tellNewMessages(floor);
    await this.pushing;
    this.flushNotifications();
    if (this.selected?.deleted) {
      this.send("* BYE The selected mailbox was deleted");
      return false;
    }
    this.tagged(tag, done);
    return true;
  }

  tagged(tag: string, done: Completion): void {
    if (done.sent) return;
    const code = done.code ? `[${done.code}] ` : "";
    this.send(`${tag} ${done.status} ${code}${respText(done.text)}`);
  }

  private failure(err: unknown, name: string): Completion {
    if (err instanceof CommandError) return err.completion;
    if (err instanceof BadArgs) return { status: "BAD", text: `${name}: ${err.message}` };
    if (err instanceof MailboxError) {
      const code =
        err.code === "conflict" && /already exists/.test(err.message)
          ? "ALREADYEXISTS"
          : ERROR_CODES[err.code];
      return { status: "NO", code, text: err.message };
    }
    this.ctx.log.error({ err, command: name, grantId: this.grantId }, "imap command failed");
    return { status: "NO", code: "SERVERBUG", text: `${name} failed on the server; try again` };
  }

  /** Cheap (one indexed read): the password is still the one this session logged in with. */
  private credentialsCurrent(): boolean {
    return passwordVersion(this.ctx.store, this.grantId) === this.passwordVersion;
  }

  appendLimit(): number {
    if (!this.grantId) return this.ctx.limits.appendLimit;
    return this.ctx.messageSizeLimit(this.grantId);
  }

  loggedIn(grantId: string, email: string, version: number): void {
    this.state = "authenticated";
    this.grantId = grantId;
    this.email = email;
    this.passwordVersion = version;
    const changes = this.ctx.bus.subscribe(grantId, (change) => this.onChange(change));
    const signOuts = this.ctx.signOuts.subscribe(grantId, () => this.onSignOut());
    this.unsubscribe = () => {
      changes();
      signOuts();
    };
  }

  /** The app password was rotated or the account deleted: BYE now if nothing is running (or in IDLE). */
  private onSignOut(): void {
    if (this.closed || this.credentialsCurrent()) return;
    this.signedOut = true;
    if (this.running && !this.idling) return;
    this.send(SIGNED_OUT);
    this.io.close();
  }

  private onChange(change: MailboxChange): void {
    if (this.closed) return;
    if (this.notify) {
      this.notify.note(change, this.selected?.folderId ?? null);
      if (!this.running || this.idling) this.flushNotificationsSoon();
    }
    const selected = this.selected;
    if (!selected) return;
    if (!selected.accept(change)) return;
    // With NOTIFY watching the selected mailbox, its changes are told as they happen, not only at
    // the next command (SELECTED-DELAYED holds expunges back until then).
    const watched = this.notify?.selectedGroup;
    const now = watched && watched.events.size > 0 && !this.running;
    if (this.idling || now) {
      const floor = this.lastUid();
      this.flushChanges(this.idling || watched?.filter.kind !== "SELECTED-DELAYED");
      this.tellNewMessages(floor);
      if (selected.deleted) {
        this.send("* BYE The selected mailbox was deleted");
        this.io.close();
      }
    }
  }

  flushChanges(allowExpunge: boolean): void {
    const selected = this.selected;
    if (!selected) return;
    const lines: string[] = [];
    if (selected.hasPending) {
      lines.push(...this.searchContexts.beforeExpunges(selected, selected.expungesDue(allowExpunge)));
      lines.push(...selected.flush({ allowExpunge, qresync: this.qresync, condstore: this.condstore }));
    }
    if (!this.idling) lines.push(...this.searchContexts.refresh(selected));
    else if (this.searchContexts.active) this.refreshContextsSoon();
    if (lines.length > 0) this.io.write(`${lines.join("\r\n")}\r\n`);
  }

  private lastUid(): number {
    return this.selected?.uids.at(-1) ?? 0;
  }

  /**
   * NOTIFY's `MessageNew (fetch-att…)`: a FETCH of each message the last flush told as new (above
   * `floor`), queued behind any still being written.
   */
  private tellNewMessages(floor: number): void {
    const selected = this.selected;
    const request = this.notify?.selectedGroup?.fetch;
    if (!selected || !request) return;
    const uids = selected.uids.filter((uid) => uid > floor);
    if (uids.length === 0) return;
    this.pushing = this.pushing
      .then(() => sendFetch(this, selected, uids, { ...request, items: [...request.items] }))
      .catch((err) =>
        this.ctx.log.error({ err, grantId: this.grantId }, "NOTIFY fetch of new messages failed"),
      );
  }

  /** A commit publishes its changes one by one: tell them once, after the burst, not per change. */
  private flushNotificationsSoon(): void {
    if (this.notificationsDue) return;
    this.notificationsDue = true;
    setImmediate(() => {
      this.notificationsDue = false;
      // A command that started meanwhile tells them when it ends.
      if (this.closed || (this.running && !this.idling)) return;
      this.flushNotifications();
    });
  }

  /** NOTIFY's STATUS and LIST lines for the changes not told yet. */
  private flushNotifications(): void {
    const notify = this.notify;
    if (!notify?.pending) return;
    const lines = notificationLines(this, notify);
    if (notify.overflow) this.notify = null;
    if (lines.length > 0) this.io.write(`${lines.join("\r\n")}\r\n`);
  }

  /** During IDLE a burst of changes evaluates the live searches once, after it, not per change. */
  private refreshContextsSoon(): void {
    if (this.contextsDue) return;
    this.contextsDue = true;
    setImmediate(() => {
      this.contextsDue = false;
      const selected = this.selected;
      // After IDLE the next command's flush tells them.
      if (!this.idling || this.closed || !selected) return;
      const lines = this.searchContexts.refresh(selected);
      if (lines.length > 0) this.io.write(`${lines.join("\r\n")}\r\n`);
    });
  }

  enableCondstore(): void {
    if (this.condstore) return;
    this.condstore = true;
    if (!this.selected) return;
    const highest = folderHighestModseq(this.ctx.store, this.grantId, this.selected.folderId);
    this.send(`* OK [HIGHESTMODSEQ ${highest}] CONDSTORE enabled`);
  }

  requireSelected(): SelectedMailbox {
    if (!this.selected) fail("no mailbox selected");
    return this.selected;
  }

  mailboxTree(): MailboxTree {
    return new MailboxTree(imapFolders(this.ctx.store, this.grantId));
  }

  findMailbox(name: string): MailboxEntry {
    const entry = this.mailboxTree().find(name);
    if (!entry) fail(`mailbox ${JSON.stringify(name)} does not exist`, "NONEXISTENT");
    return entry;
  }

  deselect(): void {
    this.selected = null;
    if (this.state === "selected") this.state = "authenticated";
  }

  /** The connection is gone (or going): stop listening, free the account's connection slot. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.ctx.registry.remove(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

function isDone(frame: CommandFrame): boolean {
  return frame.lines.length === 1 && frame.lines[0]?.toString("latin1").trim().toUpperCase() === "DONE";
}
