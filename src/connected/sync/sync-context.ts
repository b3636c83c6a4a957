import type { Mailboxes } from "../../../actors/mailboxes.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";

/** What one grant's sync works with. */
export interface SyncContext {
  grantId: string;
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  /** Unix milliseconds (tests move it to check the rolling window). */
  now(): number;
  /** True once the sync is being stopped: long loops end after the batch in hand. */
  stopping(): boolean;
}

/** The rolling window: a connected grant keeps the provider's last 90 days (by INTERNALDATE). */
export const WINDOW_DAYS = 90;

export function windowStartMs(ctx: SyncContext): number {
  return ctx.now() - WINDOW_DAYS * 86_400_000;
}
