import { parseAddressList } from "../mail/address-list.ts";
import { findField, type HeaderField, headerValue } from "../mail/header-block.ts";
import { headerFields } from "../mail/header-edit.ts";
import type { SpamSignal } from "./signal.ts";

/** What the MX's SPF/DKIM/DMARC verdicts say, as far as spam scoring looks. */
export interface OriginVerdicts {
  spf: { result: string; domain: string | null };
  dkim: { result: string }[];
  dmarc: { result: string; domain: string | null };
}

const DAY_S = 86_400;

/**
 * What is wrong with a message's header and origin, as a spam filter weighs it (names and
 * weights after rspamd's): missing or malformed fields, dates out of range, a display name
 * that claims another address, a shouting subject, failed SPF/DKIM/DMARC, a HELO that is not a
 * host name. Reads the header block only.
 */
export function headerAnomalies(
  raw: Uint8Array,
  context: { authentication: OriginVerdicts; helo: string; nowS: number },
): SpamSignal[] {
  const fields = headerFields(raw);
  const signals: SpamSignal[] = [];
  const add = (name: string, score: number, detail?: string) =>
    signals.push(detail === undefined ? { name, score } : { name, score, detail });
  fromChecks(fields, add);
  dateChecks(headerValue(fields, "date"), context.nowS, add);
  const mid = headerValue(fields, "message-id");
  if (!mid) add("MISSING_MID", 2.5);
  else if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(mid.trim())) add("INVALID_MSGID", 1.0, mid.slice(0, 100));
  if (!findField(fields, "to") && !findField(fields, "cc")) add("MISSING_TO", 2.0);
  const subject = headerValue(fields, "subject");
  if (subject === undefined || subject.trim() === "") add("MISSING_SUBJECT", 2.0);
  else if (isShouting(subject)) add("SUBJ_ALL_CAPS", 1.5);
  authChecks(context.authentication, add);
  if (!isHostName(context.helo)) add("HELO_NOT_FQDN", 1.0, context.helo.slice(0, 100));
  return signals;
}

type Add = (name: string, score: number, detail?: string) => void;

function fromChecks(fields: readonly HeaderField[], add: Add): void {
  const value = headerValue(fields, "from");
  const from = value ? parseAddressList(value).find((a) => a.mailbox && a.host) : undefined;
  if (!from?.mailbox || !from.host) {
    add("MISSING_FROM", 3.0);
    return;
  }
  const address = `${from.mailbox}@${from.host}`.toLowerCase();
  const claimed = from.name?.match(/[^\s<>"']+@[^\s<>"']+\.[a-z]{2,}/i)?.[0]?.toLowerCase();
  if (claimed && claimed !== address) add("FROM_NAME_HAS_OTHER_ADDRESS", 2.0, claimed);
  const replyTo = headerValue(fields, "reply-to");
  const reply = replyTo ? parseAddressList(replyTo).find((a) => a.host) : undefined;
  if (reply?.host && reply.host.toLowerCase() !== from.host.toLowerCase()) {
    add("REPLYTO_DOM_NEQ_FROM_DOM", 0.5, reply.host.toLowerCase());
  }
}

function dateChecks(date: string | undefined, nowS: number, add: Add): void {
  if (!date) {
    add("MISSING_DATE", 1.0);
    return;
  }
  const t = Date.parse(date);
  if (Number.isNaN(t)) add("INVALID_DATE", 1.0, date.slice(0, 100));
  else if (t / 1000 > nowS + DAY_S) add("DATE_IN_FUTURE", 2.0, date);
  else if (t / 1000 < nowS - 30 * DAY_S) add("DATE_IN_PAST", 1.0, date);
}

function authChecks(auth: OriginVerdicts, add: Add): void {
  if (auth.spf.result === "fail") add("R_SPF_FAIL", 1.0, auth.spf.domain ?? undefined);
  else if (auth.spf.result === "softfail") add("R_SPF_SOFTFAIL", 0.5, auth.spf.domain ?? undefined);
  if (auth.dkim.some((d) => d.result === "fail")) add("R_DKIM_REJECT", 1.0);
  if (auth.dmarc.result === "fail") add("DMARC_POLICY_FAIL", 1.5, auth.dmarc.domain ?? undefined);
}

/** Ten letters or more, and no lower-case one. */
function isShouting(subject: string): boolean {
  const letters = subject.replace(/[^\p{L}]/gu, "");
  return letters.length >= 10 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function isHostName(helo: string): boolean {
  return /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i.test(helo.trim());
}
