import type { Logger } from "../src/log.ts";
import { parseMessage } from "../src/mail/parse-message.ts";
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

/** The typed front door to every grant's MailboxActor. Protocol surfaces call this, never the store. */
export class Mailboxes {
  readonly system: ActorSystem<string, MailboxCommand, unknown>;

  /** `maxBatch` 1 turns off batching within an actor (the benchmark's baseline). */
  constructor(store: Store, bus: ChangeBus, log: Logger, idleMs: number, maxBatch = 256) {
    this.system = new ActorSystem((grantId: string) => new MailboxActor(grantId, store, bus, log), {
      log,
      idleMs,
      maxBatch,
    });
  }

  /** Parses the raw message here, then queues it: the actor only stores. */
  append(grantId: string, cmd: Omit<AppendCommand, "kind" | "parsed">): Promise<AppendReply> {
    const parsed = parseMessage(cmd.raw);
    return this.system.ask(grantId, { kind: "append", parsed, ...cmd }) as Promise<AppendReply>;
  }

  /**
   * Sends from the grant (API send, sent draft, SMTP submission): quota, Sent copy and outbound
   * queue rows in one unit. Local recipients are delivered by the caller, with `append`.
   */
  send(grantId: string, cmd: Omit<SendCommand, "kind" | "parsed">): Promise<SendReply> {
    const parsed = parseMessage(cmd.raw);
    return this.system.ask(grantId, { kind: "send", parsed, ...cmd }) as Promise<SendReply>;
  }

  /** A draft's new bytes replace the old under the same id. */
  replaceDraft(grantId: string, cmd: Omit<ReplaceDraftCommand, "kind" | "parsed">): Promise<AppendReply> {
    const parsed = parseMessage(cmd.raw);
    return this.system.ask(grantId, { kind: "replaceDraft", parsed, ...cmd }) as Promise<AppendReply>;
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
  imapAppend(grantId: string, cmd: Omit<ImapAppendCommand, "kind" | "parsed">): Promise<ImapAppendReply> {
    const parsed = parseMessage(cmd.raw);
    return this.system.ask(grantId, { kind: "imapAppend", parsed, ...cmd }) as Promise<ImapAppendReply>;
  }

  /** IMAP STORE by UID, with CONDSTORE's UNCHANGEDSINCE. */
  storeFlags(grantId: string, cmd: Without<StoreFlagsCommand>): Promise<StoreFlagsReply> {
    return this.system.ask(grantId, { kind: "storeFlags", ...cmd }) as Promise<StoreFlagsReply>;
  }

  /** IMAP COPY; the caller parses the sources (outside the actor). */
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

  shutdown(): Promise<void> {
    return this.system.shutdown();
  }
}
