import { Elysia } from "elysia";
import {
  addListItems,
  createList,
  deleteList,
  findList,
  listItemsPage,
  listLists,
  removeListItems,
  updateList,
} from "../../guardrails/lists.ts";
import { presentList, presentListItem } from "../../present/list.ts";
import type { ListRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { nextCursor, pageQuery } from "../guardrail-refs.ts";
import { cursorList, deleted, single } from "../http.ts";
import { parseListCreate, parseListItems, parseListUpdate } from "../list-body.ts";
import { pathParam } from "../validate.ts";

/**
 * /v3/lists and their items (reference §7.6). Items take effect at the next evaluation: the
 * engine looks them up in the store, it keeps no copy.
 */
export function listRoutes(deps: ApiDeps) {
  const load = (request: Request, param: string | undefined): ListRow => {
    const id = pathParam(param, "list id");
    const row = findList(deps.store, callerOf(request).applicationId, id);
    if (!row) throw notFound(`list ${id}`);
    return row;
  };

  return new Elysia()
    .get("/v3/lists", ({ request }) => {
      const page = listLists(deps.store, callerOf(request).applicationId, pageQuery(request));
      return cursorList(request, page.rows.map(presentList), nextCursor(page.nextAfter));
    })
    .post("/v3/lists", async ({ request, body }) => {
      const row = await createList(deps.store, callerOf(request).applicationId, parseListCreate(body));
      return single(request, presentList(row), 201);
    })
    .get("/v3/lists/:id", ({ request, params }) => single(request, presentList(load(request, params.id))))
    .put("/v3/lists/:id", async ({ request, params, body }) => {
      const row = load(request, params.id);
      return single(request, presentList(await updateList(deps.store, row, parseListUpdate(body, row))));
    })
    .delete("/v3/lists/:id", async ({ request, params }) => {
      await deleteList(deps.store, load(request, params.id));
      return deleted(request);
    })
    .get("/v3/lists/:id/items", ({ request, params }) => {
      const row = load(request, params.id);
      const page = listItemsPage(deps.store, row.id, pageQuery(request));
      return cursorList(request, page.rows.map(presentListItem), nextCursor(page.nextAfter));
    })
    .post("/v3/lists/:id/items", async ({ request, params, body }) => {
      const row = load(request, params.id);
      const values = parseListItems(body, row.type, true);
      return single(request, presentList(await addListItems(deps.store, row, values)));
    })
    .delete("/v3/lists/:id/items", async ({ request, params, body }) => {
      const row = load(request, params.id);
      const values = parseListItems(body, row.type, false);
      return single(request, presentList(await removeListItems(deps.store, row, values)));
    });
}
