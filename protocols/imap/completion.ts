/** How a command ends: its tagged completion, or a refusal thrown from deep inside it. */

export interface Completion {
  status: "OK" | "NO" | "BAD";
  /** A response code without brackets, e.g. "READ-WRITE", "APPENDUID 3 7". */
  code?: string;
  text: string;
  /** The command already wrote its tagged response (STARTTLS must, before the handshake). */
  sent?: boolean;
}

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
