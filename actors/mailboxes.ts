import type { Logger } from "../src/log.ts";
import { PreparePool } from "../src/mail/prepare-pool.ts";
import type { PreparedMessage } from "../src/mail/prepared-message.ts";
import type { MessageRow } from "../src/store/schema.ts";
import type { Store } from "../src/store/store.ts";
import type { ChangeBus } from "./bus.ts";
import { MailboxActor } from "./mailbox/actor.ts";
import type {
  AppendCommand,
  AppendReply,
  CopyMessagesCommand,
  CopyMessagesReply,
  CreateFolderCommand,
  CreateFolderReply,
  DeleteFolderCommand,
  DeleteMessageCommand,
  DeleteMessageReply,
  ExpungeCommand,
  ExpungeReply,
  ImapAppendCommand,
  ImapAppendReply,
  MailboxCommand,
  MoveMessagesCommand,
  MoveMessagesReply,
  ReplaceDraftCommand,
  SendCommand,
  SendReply,
  SetFlagsCommand,
  SetFlagsReply,
  SetSubscribedCommand,
  StoreFlagsCommand,
  StoreFlagsReply,
  UpdateFolderCommand,
  UpdateMessageCommand,
} from "./mailbox/types.ts";
import { ActorSystem } from "./runtime.ts";

type Without<C> = Omit<C, "kind">;
/**
 * A command that carries bytes, without its prepared form: the facade prepares it, or takes
 * `prepared` when one message goes to several accounts (prepared once, shared).
 */
type WithBytes<C> = Omit<C, "kind" | "prepared"> & { prepared?: Promise<PreparedMessage> };

/** The typed front door to every grant's MailboxActor. Protocol surfaces call this, never the store. */
export class Mailboxes {
  readonly system: ActorSystem<string, MailboxCommand, unknown>;
  private readonly preparing: PreparePool;

  /**
   * `maxBatch` 1 turns off batching within an actor (the benchmark's baseline); `prepareWorkers`
   * is the number of threads that parse messages (default: one per core beyond the first).
   */
  constructor(
    store: Store,
    bus: ChangeBus,
    log: Logger,
    idleMs: number,
    options: { maxBatch?: number; prepareWorkers?: number } = {},
  ) {
    this.system = new ActorSystem((grantId: string) => new MailboxActor(grantId, store, bus, log), {
      log,
      idleMs,
      maxBatch: options.maxBatch ?? 256,
    });
    this.preparing = new PreparePool(options.prepareWorkers);
  }

  /**
   * Parses, extracts and serializes a message off the writer's thread; commands that store
   * bytes take the result. Resolves in call order, so commands keep their order in the queue.
   */
  prepare(raw: Uint8Array): Promise<PreparedMessage> {
    return this.preparing.prepare(raw);
  }

  /** Prepares the raw message (or takes the caller's, shared by several), then queues it: the actor only stores. */
  append(grantId: string, cmd: WithBytes<AppendCommand>): Promise<AppendReply> {
    return this.askPrepared(grantId, "append", cmd);
  }

  /**
   * Sends from the grant (API send, sent draft, SMTP submission): quota, Sent copy and outbound
   * queue rows in one unit. Local recipients are delivered by the caller, with `append`.
   */
  send(grantId: string, cmd: WithBytes<SendCommand>): Promise<SendReply> {
    return this.askPrepared(grantId, "send", cmd);
  }

  /** A draft's new bytes replace the old under the same id. */
  replaceDraft(grantId: string, cmd: WithBytes<ReplaceDraftCommand>): Promise<AppendReply> {
    return this.askPrepared(grantId, "replaceDraft", cmd);
  }

  setFlags(grantId: string, cmd: Without<SetFlagsCommand>): Promise<SetFlagsReply> {
    return this.system.ask(grantId, { kind: "setFlags", ...cmd }) as Promise<SetFlagsReply>;
  }

  createFolder(grantId: string, cmd: Without<CreateFolderCommand>): Promise<CreateFolderReply> {
    return this.system.ask(grantId, { kind: "createFolder", ...cmd }) as Promise<CreateFolderReply>;
  }

  updateMessage(grantId: string, cmd: Without<UpdateMessageCommand>): Promise<MessageRow> {
    return this.system.ask(grantId, { kind: "updateMessage", ...cmd }) as Promise<MessageRow>;
  }

  deleteMessage(grantId: string, cmd: Without<DeleteMessageCommand>): Promise<DeleteMessageReply> {
    return this.system.ask(grantId, { kind: "deleteMessage", ...cmd }) as Promise<DeleteMessageReply>;
  }

  updateFolder(grantId: string, cmd: Without<UpdateFolderCommand>): Promise<{ id: string; name: string }> {
    return this.system.ask(grantId, { kind: "updateFolder", ...cmd }) as Promise<{
      id: string;
      name: string;
    }>;
  }

  deleteFolder(grantId: string, cmd: Without<DeleteFolderCommand>): Promise<void> {
    return this.system.ask(grantId, { kind: "deleteFolder", ...cmd }) as Promise<void>;
  }

  /** IMAP APPEND: de-duplicated on Message-ID within the folder (not in Drafts). */
  imapAppend(grantId: string, cmd: WithBytes<ImapAppendCommand>): Promise<ImapAppendReply> {
    return this.askPrepared(grantId, "imapAppend", cmd);
  }

  /** IMAP STORE by UID, with CONDSTORE's UNCHANGEDSINCE. */
  storeFlags(grantId: string, cmd: Without<StoreFlagsCommand>): Promise<StoreFlagsReply> {
    return this.system.ask(grantId, { kind: "storeFlags", ...cmd }) as Promise<StoreFlagsReply>;
  }

  /** IMAP COPY; the caller prepares the sources (`prepare`). */
  copyMessages(grantId: string, cmd: Without<CopyMessagesCommand>): Promise<CopyMessagesReply> {
    return this.system.ask(grantId, { kind: "copyMessages", ...cmd }) as Promise<CopyMessagesReply>;
  }

  moveMessages(grantId: string, cmd: Without<MoveMessagesCommand>): Promise<MoveMessagesReply> {
    return this.system.ask(grantId, { kind: "moveMessages", ...cmd }) as Promise<MoveMessagesReply>;
  }

  expunge(grantId: string, cmd: Without<ExpungeCommand>): Promise<ExpungeReply> {
    return this.system.ask(grantId, { kind: "expunge", ...cmd }) as Promise<ExpungeReply>;
  }

  setSubscribed(grantId: string, cmd: Without<SetSubscribedCommand>): Promise<void> {
    return this.system.ask(grantId, { kind: "setSubscribed", ...cmd }) as Promise<void>;
  }

  /** Stops a grant's actor (its grant is being deleted). */
  remove(grantId: string): Promise<void> {
    return this.system.remove(grantId);
  }

  /** A command that stores bytes: prepared here unless the caller already did (`prepared`). */
  private async askPrepared<R>(
    grantId: string,
    kind: "append" | "send" | "replaceDraft" | "imapAppend",
    cmd: { raw: Uint8Array; prepared?: Promise<PreparedMessage> },
  ): Promise<R> {
    const { prepared, ...rest } = cmd;
    const command = { kind, ...rest, prepared: await (prepared ?? this.prepare(cmd.raw)) };
    return this.system.ask(grantId, command as MailboxCommand) as Promise<R>;
  }

  async shutdown(): Promise<void> {
    await this.system.shutdown();
    this.preparing.close();
  }
}
