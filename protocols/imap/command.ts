/**
 * What a command module declares (in the style of WildDuck's imap-core commands): its name, the
 * states it is valid in, whether UID may prefix it, and a handler that reads its arguments,
 * sends untagged responses through the session, and returns the tagged completion.
 */
import type { Args } from "./args.ts";
import type { CommandSession, SessionState } from "./command-session.ts";
import type { Completion } from "./completion.ts";

export interface CommandCall {
  tag: string;
  /** Upper-case name, without "UID". */
  name: string;
  /** Prefixed with UID. */
  uid: boolean;
}

export interface ImapCommand {
  name: string;
  states: readonly SessionState[];
  /** May be prefixed with UID (FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE). */
  uid?: boolean;
  handle(session: CommandSession, args: Args, call: CommandCall): Promise<Completion>;
}

export const AUTHENTICATED: readonly SessionState[] = ["authenticated", "selected"];
export const SELECTED: readonly SessionState[] = ["selected"];
export const ANY: readonly SessionState[] = ["not-authenticated", "authenticated", "selected"];
export const NOT_AUTHENTICATED: readonly SessionState[] = ["not-authenticated"];
