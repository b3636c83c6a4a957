import { createHash } from "node:crypto";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import { MailboxError } from "../domain/errors.ts";
import type { Logger } from "../log.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { buildDsn } from "./dsn.ts";
import { recordLocalBounce } from "./queue.ts";

export interface LocalBounceDeps {
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  config: { hostname: string };
}

/**
 * A send committed, but a hosted recipient's copy could not be stored (its mailbox is full, or
 * the account went away): the sender gets a DSN in its INBOX and a message.bounced event, as it
 * would from a remote server. Best effort: a failure here is logged, the send stands.
 */
export async function bounceLocalDelivery(
  deps: LocalBounceDeps,
  input: { sender: GrantRow; sentId: string; recipient: string; error: unknown; raw: Uint8Array },
): Promise<void> {
  const { sender, sentId, recipient, error } = input;
  const code = error instanceof MailboxError ? error.code : null;
  const statuses: Record<string, string> = { over_quota: "5.2.2", not_found: "5.1.1", blocked: "5.7.1" };
  const status = statuses[code ?? ""] ?? "5.3.0";
  const reason = error instanceof Error ? error.message : String(error);
  const diagnostic = `x-agentbox; ${recipient}: ${code === "over_quota" ? "mailbox full: " : ""}${reason}`;
  const tag = createHash("sha256").update(recipient).digest("hex").slice(0, 12);
  const host = deps.config.hostname;
  try {
    const dsn = buildDsn({
      reportingMta: host,
      to: sender.email,
      arrivalDate: new Date(),
      recipients: [{ address: recipient, status, diagnostic, remoteMta: null }],
      original: input.raw,
      messageId: `<dsn.${sentId}.${tag}@${host}>`,
    });
    await deps.mailboxes.ask(sender.id, "append", { folderId: "inbox", raw: dsn });
    await recordLocalBounce(
      deps.store,
      Math.floor(Date.now() / 1000),
      { grantId: sender.id, messageId: sentId, mailFrom: sender.email },
      [{ email: recipient, status, diagnostic }],
    );
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, grantId: sender.id, recipient }, "local bounce not stored");
  }
}
