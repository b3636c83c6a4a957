import { eq } from "drizzle-orm";
import type { ChangeBus } from "../../actors/bus.ts";
import type { MailboxChange } from "../domain/changes.ts";
import { MailboxError } from "../domain/errors.ts";
import { FOLDER } from "../domain/system-folders.ts";
import { withoutFields } from "../mail/header-edit.ts";
import { getFolder } from "../mailbox/folders.ts";
import { getMessage, type MessageView, rawMessage } from "../mailbox/messages.ts";
import { findHeld, grantsWithHeld } from "../mailbox/writes/held-messages.ts";
import type { GrantRow } from "../store/schema.ts";
import { grants } from "../store/schema.ts";
import type { SendingDeps } from "./deps.ts";
import { dispatch } from "./outgoing.ts";

/**
 * Releases a message held for review through the normal send path (quota, the outbound rules
 * again but for holding, the queue, local delivery); the Sent copy keeps its id. Refused when it
 * is not held (404), or was discarded: it is in Trash (409).
 */
export async function releaseHeld(
  deps: SendingDeps,
  grant: GrantRow,
  messageId: string,
): Promise<MessageView> {
  const held = findHeld(deps.store.read, messageId);
  const view = held?.grantId === grant.id ? getMessage(deps.store, grant.id, messageId) : null;
  if (!held || !view) throw new MailboxError("not_found", `message ${messageId} is not held for review`);
  if (view.row.folderId === FOLDER.trash) {
    throw new MailboxError(
      "conflict",
      `message ${messageId} was discarded (it is in Trash); move it to Outbox to send it`,
    );
  }
  const raw = rawMessage(deps.store, view.row.blobHash);
  if (!raw) throw new MailboxError("not_found", `message ${messageId} has no stored bytes`);
  return dispatch(deps, grant, {
    sentRaw: raw,
    deliveryRaw: withoutFields(raw, "bcc"),
    recipients: JSON.parse(held.recipientsJson) as string[],
    metadata: JSON.parse(view.row.metadataJson) as Record<string, string>,
    ...(held.answeredId && { answeredId: held.answeredId }),
    held: { id: messageId },
  });
}

/** Whether a message is waiting for review (a send a rule held). */
export function isHeldForReview(deps: Pick<SendingDeps, "store">, messageId: string): boolean {
  return findHeld(deps.store.read, messageId) !== undefined;
}

/**
 * The release a person makes in a mail client (or the API): a held message moved into the
 * account's Outbox folder is sent. Watches, on the change bus, the accounts that have held
 * messages (found at start, and told of each new hold); releases one at a time per account.
 */
export class ReviewWatch {
  private readonly unsubscribe = new Map<string, () => void>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: SendingDeps & { bus: ChangeBus }) {}

  start(): void {
    for (const grantId of grantsWithHeld(this.deps.store.read)) this.watch(grantId);
  }

  watch(grantId: string): void {
    if (this.unsubscribe.has(grantId)) return;
    this.unsubscribe.set(
      grantId,
      this.deps.bus.subscribe(grantId, (change) => this.onChange(grantId, change)),
    );
  }

  /** Releases in flight finish; nothing new starts. */
  async stop(): Promise<void> {
    for (const stop of this.unsubscribe.values()) stop();
    this.unsubscribe.clear();
    await Promise.all(this.queues.values());
  }

  private onChange(grantId: string, change: MailboxChange): void {
    if (change.type !== "message.moved") return;
    const folder = getFolder(this.deps.store, grantId, change.folderId);
    if (folder?.row.name.toLowerCase() !== "outbox") return;
    if (!findHeld(this.deps.store.read, change.messageId)) return;
    const previous = this.queues.get(grantId) ?? Promise.resolve();
    const next = previous.then(() => this.release(grantId, change.messageId));
    this.queues.set(grantId, next);
    void next.finally(() => {
      if (this.queues.get(grantId) === next) this.queues.delete(grantId);
    });
  }

  private async release(grantId: string, messageId: string): Promise<void> {
    const grant = this.deps.store.read.select().from(grants).where(eq(grants.id, grantId)).get();
    if (!grant) return;
    try {
      await releaseHeld(this.deps, grant, messageId);
      this.deps.log.info({ grantId, messageId }, "held message released from Outbox");
    } catch (err) {
      // It stays in Outbox; the release can be retried (move it again, or POST …/release).
      this.deps.log.warn({ grantId, messageId, err: (err as Error).message }, "held message not released");
    }
  }
}
