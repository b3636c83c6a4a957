import type { ChangeBus } from "../../actors/bus.ts";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { OutboxActor } from "../../actors/outbox/actor.ts";
import type { SignOuts } from "../accounts/sign-outs.ts";
import type { Config } from "../config/config.ts";
import type { DnsResolver } from "../dns/resolver.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";

/** What the REST routes are given: they read the store, and change things through services/actors. */
export interface ApiDeps {
  config: Config;
  store: Store;
  mailboxes: Mailboxes;
  /** Committed changes, for long-polls and streams. */
  bus: ChangeBus;
  /** A rotated app password or a deleted account ends its live IMAP sessions (announce after commit). */
  signOuts: SignOuts;
  /** Webhook delivery and event streams. */
  outbox: OutboxActor;
  resolver: DnsResolver;
  log: Logger;
  defaultApplicationId: string;
}
