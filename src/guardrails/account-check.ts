import { inReplyToHeader } from "../mail/header-addresses.ts";
import { isOwnMessage } from "../mailbox/own-messages.ts";
import { evaluationInput } from "../rule-engine/address-parts.ts";
import type { Store } from "../store/store.ts";
import type { AccountRules } from "./account-rules.ts";
import { checkRules, type RuleCheck } from "./rule-check.ts";

/**
 * An inbound message against the account's own lists: a reply to one of the account's messages
 * (In-Reply-To) is checked against its reply lists only, anything else against its receive
 * lists only (AgentMail's rule). `none` when the lists that apply are empty.
 */
export function checkAccountInbound(
  store: Store,
  grant: { id: string; email: string },
  rules: AccountRules,
  raw: Uint8Array,
  sender: string,
): RuleCheck {
  if (rules.receive.rules.length === 0 && rules.reply.rules.length === 0) return { kind: "none" };
  const answered = inReplyToHeader(raw);
  const reply = answered !== null && isOwnMessage(store, grant, answered);
  return checkRules(store, reply ? rules.reply : rules.receive, evaluationInput(sender));
}
