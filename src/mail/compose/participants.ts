import { ComposeError } from "./errors.ts";
import { optionalHeaderText, optionalList, requireObjectAt } from "./fields.ts";

/** A `{name?, email}` entry of to/cc/bcc/reply_to/from, as Nylas writes participants. */
export interface Participant {
  name?: string;
  email: string;
}

// ASCII dot-atom local part and a dotted LDH domain: what every relay accepts without SMTPUTF8.
// Quoted local parts, domain literals and Unicode addresses are refused rather than half-supported.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidEmail(email: string): boolean {
  const at = email.lastIndexOf("@");
  if (at < 1 || email.length > 254) return false;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label))
  );
}

export function parseParticipants(obj: Record<string, unknown>, key: string): Participant[] {
  const list = optionalList(obj, key, key, "{name, email} objects") ?? [];
  return list.map((entry, i) => parseParticipant(entry, `${key}[${i}]`));
}

function parseParticipant(value: unknown, path: string): Participant {
  const entry = requireObjectAt(value, path, "an object with an email");
  const email = optionalHeaderText(entry, "email", `${path}.email`, 254);
  if (email === undefined || email === "")
    throw new ComposeError(`${path}.email`, `${path}.email is required`);
  if (!isValidEmail(email)) {
    throw new ComposeError(`${path}.email`, `${path}.email is not a valid email address`);
  }
  const name = optionalHeaderText(entry, "name", `${path}.name`, 256)?.trim();
  return name ? { name, email } : { email };
}
