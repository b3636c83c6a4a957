import type { Logger } from "../src/log.ts";
import type { Store } from "../src/store/store.ts";
import type { ChangeBus } from "./bus.ts";
import { MailboxActor } from "./mailbox/actor.ts";
import type {
  AppendCommand,
  AppendReply,
  CreateFolderCommand,
  CreateFolderReply,
  MailboxCommand,
  SetFlagsCommand,
  SetFlagsReply,
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

  append(grantId: string, cmd: Without<AppendCommand>): Promise<AppendReply> {
    return this.system.ask(grantId, { kind: "append", ...cmd }) as Promise<AppendReply>;
  }

  setFlags(grantId: string, cmd: Without<SetFlagsCommand>): Promise<SetFlagsReply> {
    return this.system.ask(grantId, { kind: "setFlags", ...cmd }) as Promise<SetFlagsReply>;
  }

  createFolder(grantId: string, cmd: Without<CreateFolderCommand>): Promise<CreateFolderReply> {
    return this.system.ask(grantId, { kind: "createFolder", ...cmd }) as Promise<CreateFolderReply>;
  }

  /** Stops a grant's actor (its grant is being deleted). */
  remove(grantId: string): Promise<void> {
    return this.system.remove(grantId);
  }

  shutdown(): Promise<void> {
    return this.system.shutdown();
  }
}
