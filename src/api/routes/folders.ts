import { Elysia } from "elysia";
import { folderNameProblem, MAX_FOLDER_NAME_LENGTH } from "../../domain/folder-name.ts";
import { type FolderView, getFolder, listFolders } from "../../mailbox/folders.ts";
import { presentFolder } from "../../present/folder.ts";
import type { GrantRow } from "../../store/schema.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { selectFields } from "../message-query.ts";
import {
  type Json,
  optionalString,
  pathParam,
  rejectUnknown,
  requiredString,
  requireObject,
} from "../validate.ts";
import { requireGrant } from "./messages.ts";

const FIELDS = ["name", "parent_id", "text_color", "background_color"];

export function folderRoutes(deps: ApiDeps) {
  const load = (grant: GrantRow, param: string | undefined): FolderView => {
    const id = pathParam(param, "folder id");
    const view = getFolder(deps.store, grant.id, id) ?? getFolder(deps.store, grant.id, id.toLowerCase());
    if (!view) throw notFound(`folder ${id}`);
    return view;
  };

  return new Elysia()
    .get("/v3/grants/:grantId/folders", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const parent = q.get("parent_id");
      const all = listFolders(deps.store, grant.id);
      const shown = parent ? all.filter((f) => f.row.parentId === parent) : all;
      const select = selectFields(q);
      const items = shown.map(presentFolder);
      return cursorList(request, select ? items.map(select) : items, null);
    })
    .get("/v3/grants/:grantId/folders/:folderId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      return single(request, presentFolder(load(grant, params.folderId)));
    })
    .post("/v3/grants/:grantId/folders", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const input = requireObject(body);
      rejectUnknown(input, FIELDS);
      const created = await deps.mailboxes.ask(grant.id, "createFolder", {
        name: folderName(input),
        parentId: optionalString(input, "parent_id", "parent_id", 64) ?? null,
        ...colorChanges(input),
      });
      return single(request, presentFolder(load(grant, created.id)));
    })
    .put("/v3/grants/:grantId/folders/:folderId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const folder = load(grant, params.folderId);
      const input = requireObject(body);
      rejectUnknown(input, FIELDS);
      await deps.mailboxes.ask(grant.id, "updateFolder", {
        folderId: folder.row.id,
        ...(input.name !== undefined && { name: folderName(input) }),
        ...(input.parent_id !== undefined && {
          parentId: optionalString(input, "parent_id", "parent_id", 64) ?? null,
        }),
        ...colorChanges(input),
      });
      return single(request, presentFolder(load(grant, folder.row.id)));
    })
    .delete("/v3/grants/:grantId/folders/:folderId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const folder = load(grant, params.folderId);
      await deps.mailboxes.ask(grant.id, "deleteFolder", { folderId: folder.row.id });
      return deleted(request);
    });
}

/** `name`, without surrounding white space, refused (400) unless every surface can hold it. */
function folderName(input: Json): string {
  const name = requiredString(input, "name", "name", MAX_FOLDER_NAME_LENGTH).trim();
  const problem = folderNameProblem(name);
  if (problem) throw badRequest(`invalid folder name: ${problem}`);
  return name;
}

function colorChanges(input: Json) {
  return {
    ...(input.text_color !== undefined && {
      textColor: optionalString(input, "text_color", "text_color", 32) ?? null,
    }),
    ...(input.background_color !== undefined && {
      backgroundColor: optionalString(input, "background_color", "background_color", 32) ?? null,
    }),
  };
}
