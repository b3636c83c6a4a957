import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { Config } from "../config/config.ts";
import type { Guardrails } from "../guardrails/governance.ts";
import type { Logger } from "../log.ts";
import type { ComposeContext } from "../mail/compose/mime.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** What the sending services use: committed reads, the mailbox actors, limits and a logger. */
export interface SendingDeps {
  store: Store;
  mailboxes: Mailboxes;
  config: Config;
  log: Logger;
  /** What governs each account: its policy's limits and its rules. */
  guardrails: Guardrails;
  /** Called when a send queued mail for remote recipients (the outbound delivery looks at once). */
  onQueued?: () => void;
  /** Called when a send was scheduled (the scheduler re-arms its timer). */
  onScheduled?: () => void;
  /** Called when a send was held for review (the account's Outbox is watched for its release). */
  onHeld?: (grantId: string) => void;
}

/** The account's own address and display name: the only identity it may send as. */
export function senderOf(grant: GrantRow): { name: string | null; email: string } {
  return { name: grant.name, email: grant.email };
}

/** Message-IDs are minted under the account's own domain. */
export function messageIdDomain(grant: GrantRow): string {
  return grant.email.slice(grant.email.lastIndexOf("@") + 1);
}

/** Who composes as the account: its identity and its Message-ID domain. */
export function composeContext(grant: GrantRow): ComposeContext {
  return { from: senderOf(grant), messageIdDomain: messageIdDomain(grant) };
}
