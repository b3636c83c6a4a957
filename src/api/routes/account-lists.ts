import { Elysia } from "elysia";
import {
  ACCOUNT_LIST_TYPES,
  type AccountListType,
  accountEntries,
  addAccountEntry,
  DIRECTIONS,
  type Direction,
  parseEntry,
  removeAccountEntry,
} from "../../guardrails/account-lists.ts";
import { presentAccountEntry } from "../../present/account-entry.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { nextCursor, pageQuery } from "../guardrail-refs.ts";
import { cursorList, deleted, single } from "../http.ts";
import { optionalString, rejectUnknown, requiredString, requireObject } from "../validate.ts";
import { requireGrant } from "./messages.ts";

/**
 * /v3/grants/{id}/lists/{direction}/{type}[/{entry}] (agentbox, after AgentMail's per-inbox
 * lists): an account's own allow and block lists, `direction` send|receive|reply, `type`
 * allow|block, each entry an address or a domain. They apply at the next message.
 */
export function accountListRoutes(deps: ApiDeps) {
  const path = "/v3/grants/:grantId/lists/:direction/:type";
  const target = async (request: Request, params: Record<string, string | undefined>) => {
    const grant = await requireGrant(deps, request, params.grantId);
    const direction = params.direction as Direction;
    const listType = params.type as AccountListType;
    if (!DIRECTIONS.includes(direction))
      throw badRequest(`direction must be one of: ${DIRECTIONS.join(", ")}`);
    if (!ACCOUNT_LIST_TYPES.includes(listType)) {
      throw badRequest(`list type must be one of: ${ACCOUNT_LIST_TYPES.join(", ")}`);
    }
    return { grant, direction, listType };
  };
  const entryOf = (value: string | undefined) => {
    const parsed = parseEntry(value ?? "");
    if ("problem" in parsed)
      throw badRequest(`entry "${value}" is ${parsed.problem}: give an email address or a domain`);
    return parsed;
  };

  return new Elysia()
    .get(path, async ({ request, params }) => {
      const { grant, direction, listType } = await target(request, params);
      const page = accountEntries(deps.store.read, grant.id, direction, listType, pageQuery(request));
      return cursorList(
        request,
        page.rows.map((e) => presentAccountEntry(grant.id, e)),
        nextCursor(page.nextAfter),
      );
    })
    .post(path, async ({ request, params, body }) => {
      const { grant, direction, listType } = await target(request, params);
      const input = requireObject(body);
      rejectUnknown(input, ["entry", "reason"]);
      const entry = entryOf(requiredString(input, "entry", "entry", 500));
      const reason = optionalString(input, "reason", "reason", 500) ?? null;
      await addAccountEntry(deps.store, grant, direction, listType, entry, reason);
      deps.guardrails.forget(grant.applicationId);
      const [stored] = accountEntries(deps.store.read, grant.id, direction, listType, {
        limit: 1,
        value: entry.value,
      }).rows;
      return single(request, stored ? presentAccountEntry(grant.id, stored) : null);
    })
    .get(`${path}/:entry`, async ({ request, params }) => {
      const { grant, direction, listType } = await target(request, params);
      const entry = entryOf(params.entry);
      const [found] = accountEntries(deps.store.read, grant.id, direction, listType, {
        limit: 1,
        value: entry.value,
      }).rows;
      if (!found) throw notFound(`entry ${entry.value}`);
      return single(request, presentAccountEntry(grant.id, found));
    })
    .delete(`${path}/:entry`, async ({ request, params }) => {
      const { grant, direction, listType } = await target(request, params);
      const entry = entryOf(params.entry);
      if (!(await removeAccountEntry(deps.store, grant.id, direction, listType, entry))) {
        throw notFound(`entry ${entry.value}`);
      }
      deps.guardrails.forget(grant.applicationId);
      return deleted(request);
    });
}
