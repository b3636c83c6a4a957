import type { Logger } from "../src/log.ts";
import { PreparePool } from "../src/mail/prepare-pool.ts";
import type { PreparedMessage } from "../src/mail/prepared-message.ts";
import type { Store } from "../src/store/store.ts";
import type { ChangeBus } from "./bus.ts";
import { MailboxActor } from "./mailbox/actor.ts";
import type { MailboxRequest } from "./mailbox/command.ts";
import { COMMANDS, type CommandInput, type CommandKind, type CommandReply } from "./mailbox/registry.ts";
import { ActorSystem } from "./runtime.ts";

/** The typed front door to every grant's MailboxActor. Protocol surfaces call this, never the store. */
export class Mailboxes {
  readonly system: ActorSystem<string, MailboxRequest<unknown>, void>;
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

  /**
   * Runs one command (actors/mailbox/registry.ts names them) in the grant's actor and answers
   * its reply once committed. A command that stores bytes has them prepared here first, unless
   * the caller passes the preparation (`prepared`, shared when one message goes to several accounts).
   */
  async ask<K extends CommandKind>(
    grantId: string,
    kind: K,
    input: CommandInput<K>,
  ): Promise<CommandReply<K>> {
    const request = await COMMANDS[kind].request(input, (raw) => this.prepare(raw));
    await this.system.ask(grantId, request);
    return request.reply;
  }

  /** Stops a grant's actor (its grant is being deleted). */
  remove(grantId: string): Promise<void> {
    return this.system.remove(grantId);
  }

  async shutdown(): Promise<void> {
    await this.system.shutdown();
    this.preparing.close();
  }
}
