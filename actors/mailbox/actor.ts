import type { MailboxChange } from "../../src/domain/changes.ts";
import { nowSeconds } from "../../src/ids.ts";
import type { Logger } from "../../src/log.ts";
import type { Store } from "../../src/store/store.ts";
import type { ChangeBus } from "../bus.ts";
import type { Actor, Outcome } from "../runtime.ts";
import { append } from "./commands/append.ts";
import type { CommandContext } from "./commands/context.ts";
import { createFolder } from "./commands/create-folder.ts";
import { deleteFolder } from "./commands/delete-folder.ts";
import { deleteMessage } from "./commands/delete-message.ts";
import { recordDepartures } from "./commands/departures.ts";
import { imapAppend } from "./commands/imap-append.ts";
import { copyMessages } from "./commands/imap-copy.ts";
import { expunge } from "./commands/imap-expunge.ts";
import { moveMessages } from "./commands/imap-move.ts";
import { storeFlags } from "./commands/imap-store.ts";
import { replaceDraft } from "./commands/replace-draft.ts";
import { send } from "./commands/send.ts";
import { setFlags } from "./commands/set-flags.ts";
import { setSubscribed } from "./commands/set-subscribed.ts";
import { updateFolder } from "./commands/update-folder.ts";
import { updateMessage } from "./commands/update-message.ts";
import { loadState, type MailboxState, persistCounters } from "./state.ts";
import type { MailboxCommand } from "./types.ts";

type Unit = { reply: unknown; changes: MailboxChange[] };

/**
 * The only writer of one grant's mailbox. A batch of queued commands executes in one store
 * transaction (each in its own savepoint, plus a last unit that persists the counters); replies
 * go out and changes are published only after that transaction commits.
 */
export class MailboxActor implements Actor<MailboxCommand, unknown> {
  private state: MailboxState | null = null;

  constructor(
    private readonly grantId: string,
    private readonly store: Store,
    private readonly bus: ChangeBus,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.state = await loadState(this.store.read, this.grantId);
  }

  async handle(batch: MailboxCommand[]): Promise<Outcome<unknown>[]> {
    const state = this.state;
    if (!state) throw new Error("mailbox actor used before start");
    const now = nowSeconds();
    const units = batch.map((cmd) => (tx: CommandContext["tx"]) => {
      const ctx: CommandContext = { state, tx, now, changes: [] };
      return execute(ctx, cmd).then((reply): Unit => {
        recordDepartures(tx, state.grantId, ctx.changes);
        return { reply, changes: ctx.changes };
      });
    });
    const settled = await this.store.writer.submitAll<Unit | undefined>([
      ...units,
      (tx) => {
        persistCounters(tx, state);
        return undefined;
      },
    ]);
    const counters = settled.at(-1);
    if (!counters?.ok) throw counters?.error ?? new Error("counters were not persisted");
    const outcomes = settled.slice(0, batch.length).map((s): Outcome<unknown> => {
      if (!s.ok) return s;
      for (const change of (s.value as Unit).changes) this.bus.publish(this.grantId, change);
      return { ok: true, value: (s.value as Unit).reply };
    });
    // A command that failed may have advanced counters or cached folders; start again from disk.
    if (outcomes.some((o) => !o.ok)) await this.start();
    return outcomes;
  }

  stop(): void {
    this.state = null;
    this.log.debug({ grantId: this.grantId }, "mailbox actor stopped");
  }
}

function execute(ctx: CommandContext, cmd: MailboxCommand): Promise<unknown> {
  switch (cmd.kind) {
    case "append":
      return append(ctx, cmd);
    case "send":
      return send(ctx, cmd);
    case "replaceDraft":
      return replaceDraft(ctx, cmd);
    case "setFlags":
      return setFlags(ctx, cmd);
    case "createFolder":
      return createFolder(ctx, cmd);
    case "updateMessage":
      return updateMessage(ctx, cmd);
    case "deleteMessage":
      return deleteMessage(ctx, cmd);
    case "updateFolder":
      return updateFolder(ctx, cmd);
    case "deleteFolder":
      return deleteFolder(ctx, cmd);
    case "storeFlags":
      return storeFlags(ctx, cmd);
    case "copyMessages":
      return copyMessages(ctx, cmd);
    case "moveMessages":
      return moveMessages(ctx, cmd);
    case "expunge":
      return expunge(ctx, cmd);
    case "imapAppend":
      return imapAppend(ctx, cmd);
    case "setSubscribed":
      return setSubscribed(ctx, cmd);
  }
}
