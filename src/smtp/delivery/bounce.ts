import type { Mailboxes } from "../../../actors/mailboxes.ts";
import type { Logger } from "../../log.ts";
import { rawMessage } from "../../mailbox/messages.ts";
import type { Store } from "../../store/store.ts";
import { buildDsn } from "../dsn.ts";
import type { DeliveryFailure } from "../outbound/failure.ts";
import type { BouncedRecipient } from "../queue.ts";
import { dsnAlreadyStored } from "./dsn-store.ts";

export interface BounceDeps {
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  /** Our public host name: EHLO, Reporting-MTA, the DSN's Message-ID. */
  hostname: string;
}

/** The DSN goes into the sender's INBOX (once, even if a crash interrupted the last try). */
export async function storeBounce(
  deps: BounceDeps,
  bounced: BouncedRecipient[],
  failure: DeliveryFailure,
): Promise<void> {
  const first = bounced[0]?.row;
  if (!first?.mailFrom) return; // a notice is never bounced
  // A transactional send has no mailbox to put the DSN in: its message.transactional.bounced says it.
  if (first.grantId === null) return;
  const grantId = first.grantId;
  const messageId = `<dsn.${first.id}@${deps.hostname}>`;
  if (await dsnAlreadyStored(deps.store, grantId, messageId)) return;
  const original = rawMessage(deps.store, first.blobHash) ?? new Uint8Array();
  const dsn = buildDsn({
    reportingMta: deps.hostname,
    to: first.mailFrom,
    arrivalDate: new Date(first.createdAt * 1000),
    recipients: bounced.map((b) => ({
      address: b.row.rcptTo,
      status: b.status,
      diagnostic: b.diagnostic,
      remoteMta: failure.remoteHost,
    })),
    original,
    messageId,
  });
  await deps.mailboxes.ask(grantId, "append", { folderId: "inbox", raw: dsn }).catch((err) => {
    // The sender's mailbox may be full or gone; the event still says what happened.
    deps.log.warn({ err: (err as Error).message, grantId }, "bounce not stored");
  });
}
