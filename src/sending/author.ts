/**
 * An account sends only as itself. Its message names it as the author in exactly one From field
 * holding one address, its own; a Sender field, when there is one, must be exactly one field
 * naming the account too. A second From (a reader showing the last one sees another author) or
 * a Sender of another address would let the account pass as someone else.
 */
import { parseAddressList } from "../mail/address-list.ts";
import type { HeaderField } from "../mail/header-block.ts";
import { headerFields } from "../mail/header-edit.ts";

/** What is wrong with the author fields, or null when they name the account alone. */
export function authorProblem(raw: Uint8Array, account: string): string | null {
  const fields = headerFields(raw);
  return fieldProblem(fields, "From", account, true) ?? fieldProblem(fields, "Sender", account, false);
}

function fieldProblem(
  fields: readonly HeaderField[],
  name: "From" | "Sender",
  account: string,
  required: boolean,
): string | null {
  const found = fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
  const [only] = found;
  if (!only) return required ? `${name} header missing; ${itself(account)}` : null;
  if (found.length > 1)
    return `the message has ${found.length} ${name} fields (one is allowed); ${itself(account)}`;
  const addresses = addressesIn(only.value);
  if (addresses.length === 1 && addresses[0]?.toLowerCase() === account.toLowerCase()) return null;
  const shown = addresses.length === 0 ? "without an address" : `<${addresses.join(", ")}>`;
  return `${name} header ${shown} is not this account's own address; ${itself(account)}`;
}

function addressesIn(value: string): string[] {
  return parseAddressList(value)
    .filter((a) => a.mailbox !== null && a.host !== null)
    .map((a) => `${a.mailbox}@${a.host}`);
}

const itself = (account: string) => `this account sends only as itself (${account})`;
