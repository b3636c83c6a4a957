/**
 * What a command may use of its session: the state it reads and moves, the services every session
 * shares, the connection, and the session's helpers. `Session` (session.ts) implements it; the
 * dispatcher and the command table stay the session's own.
 */
import type { ChangeBus } from "../../actors/bus.ts";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { PasswordLogins } from "../../src/accounts/password-login.ts";
import type { SignOuts } from "../../src/accounts/sign-outs.ts";
import type { Logger } from "../../src/log.ts";
import type { Store } from "../../src/store/store.ts";
import type { Completion } from "./completion.ts";
import type { MailboxEntry, MailboxTree } from "./mailbox-names.ts";
import type { Notifications } from "./notify.ts";
import type { RecentTracker } from "./recent.ts";
import type { SessionRegistry } from "./registry.ts";
import type { SearchContexts } from "./search-contexts.ts";
import type { SelectedMailbox } from "./selected.ts";
import type { SessionIO } from "./session-io.ts";

export type SessionState = "not-authenticated" | "authenticated" | "selected" | "logout";

export interface ImapLimits {
  maxConnectionsPerAccount: number;
  idleTimeoutMs: number;
  autologoutMs: number;
  /** A connection not logged in this long after it opened is closed, whatever it sends. */
  loginTimeoutMs: number;
  /** The largest literal the listener reads for APPEND; an account's policy may lower it. */
  appendLimit: number;
  /** The longest command line (without literals). */
  maxLine: number;
}

/** What every session of the server shares. */
export interface ImapServices {
  store: Store;
  mailboxes: Mailboxes;
  bus: ChangeBus;
  log: Logger;
  limits: ImapLimits;
  /** App-password logins, shared with SMTP submission (one budget of wrong guesses). */
  auth: PasswordLogins;
  /** A rotated app password or a deleted account ends the account's sessions at once. */
  signOuts: SignOuts;
  recent: RecentTracker;
  registry: SessionRegistry;
  /** The largest message an account may store: its policy's limit, at most `limits.appendLimit`. */
  messageSizeLimit: (grantId: string) => number;
}

export interface CommandSession {
  state: SessionState;
  /** The logged-in account; "" before LOGIN. */
  readonly grantId: string;
  /** The logged-in account's address; "" before LOGIN. */
  readonly email: string;
  selected: SelectedMailbox | null;
  /** ENABLEd extensions (CONDSTORE, QRESYNC). */
  readonly enabled: Set<string>;
  /** CONDSTORE is on: enabled, or used by a command (RFC 7162 §3.1). */
  condstore: boolean;
  readonly qresync: boolean;
  /** NOTIFY SET: what the session watches beyond the selected mailbox; null without NOTIFY. */
  notify: Notifications | null;
  /** Live SEARCH / SORT results (RETURN (UPDATE)) of the selected mailbox. */
  readonly searchContexts: SearchContexts;
  idling: boolean;
  /** IDLE was ended by the server's timeout: a late "DONE" from the client is ignored. */
  idleTimedOut: boolean;
  readonly ctx: ImapServices;
  readonly io: SessionIO;
  /** Writes one response line (binary string, CRLF added). */
  send(line: string): void;
  /** Writes a tagged completion now, before the command returns (STARTTLS, COMPRESS). */
  tagged(tag: string, done: Completion): void;
  /** After a successful LOGIN / AUTHENTICATE. */
  loggedIn(grantId: string, email: string, passwordVersion: number): void;
  /** Sends the untagged responses for the changes the client has not been told. */
  flushChanges(allowExpunge: boolean): void;
  /** Turns CONDSTORE on (RFC 7162 §3.1: a CONDSTORE-enabling command); tells HIGHESTMODSEQ once. */
  enableCondstore(): void;
  /** The selected mailbox, or NO. */
  requireSelected(): SelectedMailbox;
  mailboxTree(): MailboxTree;
  /** APPENDLIMIT (RFC 7889): the account's message-size limit once logged in, else the listener's. */
  appendLimit(): number;
  /** The mailbox a name designates, or NO [NONEXISTENT]. */
  findMailbox(name: string): MailboxEntry;
  /** Leaves the selected mailbox (SELECT of another, CLOSE, UNSELECT). */
  deselect(): void;
}
