import type { Logger } from "../src/log.ts";
import { parseMessage } from "../src/mail/parse-message.ts";
import type { MessageRow } from "../src/store/schema.ts";
import type { Store } from "../src/store/store.ts";
import type { ChangeBus } from "./bus.ts";
import { MailboxActor } from "./mailbox/actor.ts";
import type {
  AppendCommand,
  AppendReply,
  CreateFolderCommand,
  CreateFolderReply,
  DeleteFolderCommand,
  DeleteMessageCommand,
  DeleteMessageReply,
  MailboxCommand,
  ReplaceDraftCommand,
  SendCommand,
  SendReply,
  SetFlagsCommand,
  SetFlagsReply,
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

  /** Stops a grant's actor (its grant is being deleted). */
  remove(grantId: string): Promise<void> {
    return this.system.remove(grantId);
  }

  shutdown(): Promise<void> {
    return this.system.shutdown();
  }
}
