import type { MailboxChange } from "../../../src/domain/changes.ts";
import type { Tx } from "../../../src/store/store.ts";
import type { MailboxState } from "../state.ts";

/** What one command sees while it executes inside the batch's transaction. */
export interface CommandContext {
  state: MailboxState;
  tx: Tx;
  /** Unix seconds at the start of the batch. */
  now: number;
  /** Published to subscribers only if this command's savepoint commits. */
  changes: MailboxChange[];
}
