import type { ChangeBus } from "../../actors/bus.ts";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { SignOuts } from "../accounts/sign-outs.ts";
import type { Config } from "../config/config.ts";
import type { ConnectedSync } from "../connected/sync/registry.ts";
import type { DnsResolver } from "../dns/resolver.ts";
import type { EventStreams } from "../events/streams.ts";
import type { Guardrails } from "../guardrails/governance.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import type { WebhookDispatcher } from "../webhooks/dispatch/dispatcher.ts";

/** What the REST routes are given: they read the store, and change things through services/actors. */
export interface ApiDeps {
  config: Config;
  store: Store;
  mailboxes: Mailboxes;
  /** Committed changes, for long-polls and streams. */
  bus: ChangeBus;
  /** Delivers webhooks; told when a client changes an endpoint. */
  webhooks: WebhookDispatcher;
  /** Wakes and ends event streams. */
  streams: EventStreams;
  /** A rotated app password or a deleted account ends its live IMAP sessions (announce after commit). */
  signOuts: SignOuts;
  resolver: DnsResolver;
  /** Policies, rules and workspaces as enforced; told after every change to them. */
  guardrails: Guardrails;
  log: Logger;
  defaultApplicationId: string;
  /** The sync actors of connected IMAP grants: started on connect, stopped on delete. */
  connectedSync: ConnectedSync;
}
