import { type ImapAddress, parseAddressList } from "./address-list.ts";
import { findField, type HeaderField, headerValue } from "./header-block.ts";
import { headerFields } from "./header-edit.ts";

/**
 * Addresses read from the header block alone (no MIME parse): what the rule engine needs of a
 * message on its way in or out. Lower-cased `local@domain`; group markers and garbage dropped.
 */

/** The first address of the From field; null when there is none. */
export function headerFromAddress(raw: Uint8Array): string | null {
  return addressesOf(headerFields(raw), "from")[0] ?? null;
}

/** Every address of To, Cc and Bcc. */
export function headerRecipients(raw: Uint8Array): string[] {
  const fields = headerFields(raw);
  return ["to", "cc", "bcc"].flatMap((name) => addressesOf(fields, name));
}

/** Whether the message answers another (In-Reply-To or References present). */
export function isReplyHeader(raw: Uint8Array): boolean {
  const fields = headerFields(raw);
  return findField(fields, "in-reply-to") !== undefined || findField(fields, "references") !== undefined;
}

/** The Message-ID the In-Reply-To field names (the first), or null. */
export function inReplyToHeader(raw: Uint8Array): string | null {
  const value = headerValue(headerFields(raw), "in-reply-to");
  return value?.match(/<[^<>\s]+>/)?.[0] ?? null;
}

function addressesOf(fields: readonly HeaderField[], name: string): string[] {
  const value = headerValue(fields, name);
  if (!value) return [];
  return parseAddressList(value).flatMap((a: ImapAddress) =>
    a.mailbox && a.host ? [`${a.mailbox}@${a.host}`.toLowerCase()] : [],
  );
}
