import { badRequest } from "./errors.ts";
import { type Json, optionalString, rejectUnknown, requireObject } from "./validate.ts";

/**
 * A contact as Nylas's create and update bodies name its fields, validated field by field (a 400
 * names the field). Contact groups do not apply to agent accounts: `groups` may only be empty.
 */

const TEXT: Record<string, number> = {
  given_name: 256,
  middle_name: 256,
  surname: 256,
  suffix: 64,
  nickname: 256,
  company_name: 256,
  job_title: 256,
  manager_name: 256,
  office_location: 256,
  notes: 10_000,
};

/** Each list: its item's one required field, its other fields, and the `type` values allowed. */
const LISTS: Record<string, { key: string; max: number; fields: string[]; types?: string[] }> = {
  emails: { key: "email", max: 255, fields: ["type"], types: ["work", "home", "other"] },
  phone_numbers: { key: "number", max: 64, fields: ["type"], types: ["work", "home", "mobile", "other"] },
  im_addresses: { key: "im_address", max: 255, fields: ["type"] },
  web_pages: { key: "url", max: 2048, fields: ["type"], types: ["work", "home", "other"] },
  physical_addresses: {
    key: "type",
    max: 32,
    fields: ["street_address", "city", "state", "postal_code", "country", "format"],
    types: ["work", "home", "other"],
  },
};

const MAX_ITEMS = 50;
export const CONTACT_FIELDS = [...Object.keys(TEXT), ...Object.keys(LISTS), "birthday", "groups"];

/** The fields of a create (`given_name` required) or an update (only those given). */
export function parseContact(body: unknown, creating: boolean): Record<string, unknown> {
  const input = requireObject(body);
  rejectUnknown(input, CONTACT_FIELDS);
  const out: Record<string, unknown> = {};
  for (const [key, max] of Object.entries(TEXT)) {
    const value = optionalString(input, key, key, max);
    if (value !== undefined) out[key] = value;
  }
  if (creating && (typeof out.given_name !== "string" || out.given_name.trim() === "")) {
    throw badRequest("given_name is required");
  }
  for (const [key, rule] of Object.entries(LISTS)) {
    if (input[key] !== undefined && input[key] !== null) out[key] = list(input[key], key, rule);
    else if (input[key] === null) out[key] = [];
  }
  const birthday = optionalString(input, "birthday", "birthday", 10);
  if (birthday !== undefined) {
    if (!/^\d{4}-\d\d-\d\d$/.test(birthday) || Number.isNaN(Date.parse(birthday))) {
      throw badRequest("birthday must be an ISO 8601 date (YYYY-MM-DD)");
    }
    out.birthday = birthday;
  }
  if (Array.isArray(input.groups) ? input.groups.length > 0 : input.groups != null) {
    throw badRequest("groups: contact groups do not apply to agent accounts");
  }
  return out;
}

function list(value: unknown, key: string, rule: (typeof LISTS)[string]): Json[] {
  if (!Array.isArray(value)) throw badRequest(`${key} must be an array`);
  if (value.length > MAX_ITEMS) throw badRequest(`${key} may hold at most ${MAX_ITEMS} entries`);
  return value.map((raw, i) => {
    const path = `${key}[${i}]`;
    const item = requireObject(raw, path);
    rejectUnknown(item, [rule.key, ...rule.fields], `${path}.`);
    const out: Json = {};
    const main = optionalString(item, rule.key, `${path}.${rule.key}`, rule.max);
    if (main === undefined || main.trim() === "") throw badRequest(`${path}.${rule.key} is required`);
    out[rule.key] = main;
    for (const f of rule.fields) {
      const v = optionalString(item, f, `${path}.${f}`, 256);
      if (v !== undefined) out[f] = v;
    }
    const type = out.type;
    if (rule.types && typeof type === "string" && !rule.types.includes(type)) {
      throw badRequest(`${path}.type must be one of: ${rule.types.join(", ")}`);
    }
    return out;
  });
}
