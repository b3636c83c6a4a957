import type { ContactRow } from "../store/schema.ts";

const LISTS = ["emails", "phone_numbers", "im_addresses", "web_pages", "physical_addresses", "groups"];

/** Nylas's contact object: the fields given, every list present ([] when none), source address_book. */
export function presentContact(c: ContactRow) {
  const fields = JSON.parse(c.fieldsJson) as Record<string, unknown>;
  const lists = Object.fromEntries(LISTS.map((k) => [k, fields[k] ?? []]));
  return { object: "contact", id: c.id, grant_id: c.grantId, source: "address_book", ...fields, ...lists };
}
