import { findList } from "../guardrails/lists.ts";
import { findPolicy } from "../guardrails/policies.ts";
import { findRule } from "../guardrails/rules.ts";
import type { RuleMatch } from "../rule-engine/vocabulary.ts";
import type { Store } from "../store/store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { badRequest } from "./errors.ts";
import { listReferences } from "./rule-body.ts";
import { queryInt } from "./validate.ts";

/**
 * What policies, rules, lists and workspaces name of each other must exist and belong to the
 * caller's application: another application's id is as unknown as a made-up one (400).
 */

export function requireOwnPolicy(store: Store, applicationId: string, id: string | null, path: string): void {
  if (id !== null && !findPolicy(store, applicationId, id)) {
    throw badRequest(`${path} ${id} not found or does not belong to this application`);
  }
}

export function requireOwnRules(
  store: Store,
  applicationId: string,
  ids: readonly string[],
  path: string,
): void {
  const missing = ids.find((id) => !findRule(store, applicationId, id));
  if (missing !== undefined) {
    throw badRequest(`${path} entry ${missing} not found or does not belong to this application`);
  }
}

/** Every in_list names lists of the application whose type fits the field (a domain list for *.domain). */
export function requireOwnLists(store: Store, applicationId: string, match: RuleMatch): void {
  for (const { listId, field } of listReferences(match)) {
    const list = findList(store, applicationId, listId);
    if (!list)
      throw badRequest(`invalid list ID ${listId} (invalid_field): no such list in this application`);
    const kind = field.slice(field.indexOf(".") + 1);
    if (list.type !== kind) {
      throw badRequest(`list ${listId} holds ${list.type} values and cannot be matched against ${field}`);
    }
  }
}

/** `limit` (default 50, at most 200) and the `page_token` of an id-ordered list. */
export function pageQuery(request: Request): { limit: number; after?: string } {
  const q = new URL(request.url).searchParams;
  const limit = queryInt(q, "limit", 50, 1, 200);
  const cursor = decodeCursor(q.get("page_token"), { after: "string" });
  return cursor ? { limit, after: cursor.after } : { limit };
}

export function nextCursor(nextAfter: string | null): string | null {
  return nextAfter === null ? null : encodeCursor({ after: nextAfter });
}
