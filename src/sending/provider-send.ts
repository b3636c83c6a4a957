import type { ConnectionOptions } from "node:tls";
import { type ConnectedAccount, loadConnectedAccount } from "../connected/account.ts";
import { indexMessageAt } from "../connected/index-message.ts";
import { type ProviderTimeouts, withProviderImap } from "../connected/provider-imap.ts";
import { type ProviderLocation, providerLocationOf } from "../connected/provider-index.ts";
import { appendToSystemFolder, providerSavesSent, SENT_FOLDER } from "../connected/provider-sent.ts";
import { submitToProvider } from "../connected/provider-smtp.ts";
import { providerTlsOptions } from "../connected/provider-tls.ts";
import { MailboxError } from "../domain/errors.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import type { MessageView } from "../mailbox/messages.ts";
import type { RuleOutcome } from "../rule-engine/evaluate.ts";
import type { GrantRow } from "../store/schema.ts";
import type { SendingDeps } from "./deps.ts";
import { type Outgoing, sendInput, sentView } from "./outgoing-message.ts";

/**
 * A connected account sends through its provider: the provider's SMTP takes the message for
 * every recipient (nothing is queued here), then the Sent copy is appended to the provider's Sent
 * folder unless the provider files it itself, and the local Sent copy is stored through the same
 * actor command as an agent account's (quota, draft, answered, webhooks), indexed where the
 * provider put it. A provider refusal throws a ProviderError before anything is stored.
 */
export async function sendThroughProvider(
  deps: SendingDeps,
  grant: GrantRow,
  out: Outgoing,
  prepared: Promise<PreparedMessage>,
  rules: RuleOutcome | null,
): Promise<MessageView> {
  const account = await loadConnectedAccount(deps.store, grant.id);
  if (!account)
    throw new MailboxError("unavailable", `${grant.email} has no provider settings; connect it again`);
  const { connected } = deps.config;
  const tls = providerTlsOptions(connected.providerCaFile);
  const timeouts = { connectMs: connected.connectTimeoutMs, commandMs: connected.commandTimeoutMs };
  await submitToProvider(
    account.smtp,
    tls,
    timeouts,
    { from: grant.email, to: out.recipients },
    out.deliveryRaw,
  );
  if (out.draft) await removeProviderDraft(deps, account, out.draft.id, tls, timeouts);
  let filed: ProviderLocation | undefined;
  if (!providerSavesSent(account)) {
    try {
      filed = await appendToSystemFolder(deps.store, account, tls, timeouts, out.sentRaw, SENT_FOLDER);
    } catch (err) {
      // The message has left: the send succeeded; only the provider's Sent copy is missing.
      deps.log.warn(
        { grantId: grant.id, err: (err as Error).message },
        "sent, but not appended to the provider's Sent",
      );
    }
  }
  const sent = await deps.mailboxes.ask(grant.id, "send", sendInput(out, grant.email, prepared, [], rules));
  if (filed) await indexMessageAt(deps.store, grant.id, sent.id, filed);
  return sentView(deps.store, grant.id, sent.id);
}

/**
 * A sent draft leaves the provider's Drafts too (locally the send command takes it out). The
 * message has left already: a failure here is logged, not answered.
 */
async function removeProviderDraft(
  deps: SendingDeps,
  account: ConnectedAccount,
  draftId: string,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts,
): Promise<void> {
  const location = providerLocationOf(deps.store, account.grantId, draftId);
  if (!location) return;
  try {
    await withProviderImap(
      account.imap,
      tls,
      async (client) => {
        const box = await client.mailboxOpen(location.folderPath);
        if (Number(box.uidValidity) === location.uidValidity) {
          await client.messageDelete(String(location.uid), { uid: true });
        }
      },
      timeouts,
    );
  } catch (err) {
    deps.log.warn(
      { grantId: account.grantId, err: (err as Error).message },
      "sent, but the draft stays at the provider",
    );
  }
}
