import type { MailboxChange } from "../../src/domain/changes.ts";
import type { PreparedMessage } from "../../src/mail/prepared-message.ts";
import type { Tx } from "../../src/store/db.ts";
import type { MailboxState } from "./state.ts";

/** What one command sees while it executes inside the batch's transaction. */
export interface CommandContext {
  state: MailboxState;
  tx: Tx;
  /** Unix seconds at the start of the batch. */
  now: number;
  /** Published to subscribers only if this command's savepoint commits. */
  changes: MailboxChange[];
}

/** A command's handler: decides (UIDs, MODSEQ, counters, rules), writes, and answers. */
export type Handler<C, R> = (ctx: CommandContext, command: C) => Promise<R>;

/** Parses a message off the writer's thread (Mailboxes.prepare). */
export type Prepare = (raw: Uint8Array) => Promise<PreparedMessage>;

/**
 * A mailbox command as the facade sees it: it turns the caller's input `I` into a request the
 * actor queues, whose reply is `R`.
 */
export interface CommandDefinition<I, R> {
  request(input: I, prepare: Prepare): MailboxRequest<R> | Promise<MailboxRequest<R>>;
}

/**
 * One command on its way through a grant's actor: executed inside the batch's transaction, its
 * reply read by the caller once the actor has answered (after the commit).
 */
export class MailboxRequest<R> {
  private answered: { reply: R } | null = null;

  constructor(private readonly run: (ctx: CommandContext) => Promise<R>) {}

  async execute(ctx: CommandContext): Promise<void> {
    this.answered = { reply: await this.run(ctx) };
  }

  get reply(): R {
    if (!this.answered) throw new Error("a mailbox command was answered before it ran");
    return this.answered.reply;
  }
}

/** A command queued as the caller gave it. */
export function command<C, R>(handler: Handler<C, R>): CommandDefinition<C, R> {
  return { request: (input) => new MailboxRequest((ctx) => handler(ctx, input)) };
}

/** A message's bytes and their parsed form, as a command that stores them receives them. */
export interface MessageBytes {
  raw: Uint8Array;
  prepared: PreparedMessage;
}

/**
 * What a caller gives for a command that stores bytes: the raw message, and its prepared form
 * when it already has one (one message going to several accounts is prepared once).
 */
export type WithBytes<C> = C & { raw: Uint8Array; prepared?: Promise<PreparedMessage> };

/**
 * A command that stores a message: the facade prepares the bytes (parsing never holds the write
 * lock) before it is queued. Preparations resolve in call order, so commands keep their order.
 */
export function storingCommand<C, R>(
  handler: Handler<C & MessageBytes, R>,
): CommandDefinition<WithBytes<C>, R> {
  return {
    async request(input, prepare) {
      const command = { ...input, prepared: await (input.prepared ?? prepare(input.raw)) };
      return new MailboxRequest((ctx) => handler(ctx, command));
    },
  };
}
