/**
 * What a command module declares (in the style of WildDuck's imap-core commands): its name, the
 * states it is valid in, whether UID may prefix it, and a handler that reads its arguments,
 * sends untagged responses through the session, and returns the tagged completion.
 */
import type { Args } from "./args.ts";
import type { Session, SessionState } from "./session.ts";

export interface Completion {
  status: "OK" | "NO" | "BAD";
  /** A response code without brackets, e.g. "READ-WRITE", "APPENDUID 3 7". */
  code?: string;
  text: string;
  /** The command already wrote its tagged response (STARTTLS must, before the handshake). */
  sent?: boolean;
}

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
  handle(session: Session, args: Args, call: CommandCall): Promise<Completion>;
}

export const AUTHENTICATED: readonly SessionState[] = ["authenticated", "selected"];
export const SELECTED: readonly SessionState[] = ["selected"];
export const ANY: readonly SessionState[] = ["not-authenticated", "authenticated", "selected"];
export const NOT_AUTHENTICATED: readonly SessionState[] = ["not-authenticated"];

export function ok(text: string, code?: string): Completion {
  return code === undefined ? { status: "OK", text } : { status: "OK", code, text };
}

export function no(text: string, code?: string): Completion {
  return code === undefined ? { status: "NO", text } : { status: "NO", code, text };
}

export function bad(text: string, code?: string): Completion {
  return code === undefined ? { status: "BAD", text } : { status: "BAD", code, text };
}

/** A refusal thrown from deep inside a command; the dispatcher answers it as NO/BAD. */
export class CommandError extends Error {
  constructor(readonly completion: Completion) {
    super(completion.text);
    this.name = "CommandError";
  }
}

export function fail(text: string, code?: string): never {
  throw new CommandError(no(text, code));
}
