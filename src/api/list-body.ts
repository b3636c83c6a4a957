import type { ListFields } from "../guardrails/lists.ts";
import {
  LIST_TYPES,
  type ListType,
  listValueProblem,
  normaliseListValue,
} from "../rule-engine/list-values.ts";
import type { ListRow } from "../store/schema.ts";
import { badRequest } from "./errors.ts";
import { optionalString, rejectUnknown, requiredString, requireObject } from "./validate.ts";

/** Bodies of /v3/lists and /v3/lists/{id}/items (reference §7.6). */

const READ_ONLY = ["id", "items_count", "application_id", "organization_id", "created_at", "updated_at"];
export const MAX_ITEMS_PER_REQUEST = 1000;

export function parseListCreate(body: unknown): ListFields {
  const input = requireObject(body);
  rejectUnknown(input, ["name", "description", "type", ...READ_ONLY]);
  const type = input.type;
  if (typeof type !== "string" || !LIST_TYPES.includes(type as ListType)) {
    throw badRequest(`type is required: one of ${LIST_TYPES.join(", ")}`);
  }
  return {
    name: requiredString(input, "name", "name", 256),
    description: optionalString(input, "description", "description", 1024) ?? null,
    type: type as ListType,
  };
}

/** PUT: name and description; `type` may be repeated but not changed. */
export function parseListUpdate(
  body: unknown,
  current: ListRow,
): { name?: string; description?: string | null } {
  const input = requireObject(body);
  rejectUnknown(input, ["name", "description", "type", ...READ_ONLY]);
  if (input.type !== undefined && input.type !== current.type) {
    throw badRequest(`type cannot be changed (this list holds ${current.type} values); create another list`);
  }
  return {
    ...(input.name !== undefined && { name: requiredString(input, "name", "name", 256) }),
    ...(input.description !== undefined && {
      description: optionalString(input, "description", "description", 1024) ?? null,
    }),
  };
}

/**
 * `{items: [...]}`: each value normalised and, when adding, checked against the list's type
 * (all or nothing). A value to remove is only normalised: one that cannot be there is ignored.
 */
export function parseListItems(body: unknown, type: ListType, adding: boolean): string[] {
  const input = requireObject(body);
  rejectUnknown(input, ["items"]);
  const items = input.items;
  if (!Array.isArray(items) || items.length === 0)
    throw badRequest("items must be a non-empty array of strings");
  if (items.length > MAX_ITEMS_PER_REQUEST) {
    throw badRequest(
      `items may have at most ${MAX_ITEMS_PER_REQUEST} values a request (got ${items.length})`,
    );
  }
  const values = items.map((item, i) => {
    if (typeof item !== "string") throw badRequest(`items[${i}] must be a string`);
    const value = normaliseListValue(item);
    const problem = adding ? listValueProblem(type, value) : null;
    if (problem)
      throw badRequest(`items[${i}] "${item.slice(0, 100)}" is ${problem}: this list holds ${type} values`);
    return value;
  });
  return [...new Set(values)];
}
