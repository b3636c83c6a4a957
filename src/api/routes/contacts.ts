import { Elysia } from "elysia";
import {
  createContact,
  deleteContact,
  findContact,
  listContacts,
  updateContact,
} from "../../contacts/contacts.ts";
import { presentContact } from "../../present/contact.ts";
import { parseContact } from "../contact-body.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { nextCursorOf, pageParams } from "../page.ts";
import { pathParam } from "../validate.ts";
import { requireGrant } from "./messages.ts";

const SOURCES = ["address_book", "domain", "inbox"];

/**
 * /v3/grants/{id}/contacts: a grant's address book (what Nylas's Agent Accounts support). Contact
 * groups do not apply: /contacts/groups is a 400 that says so.
 */
export function contactRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/grants/:grantId/contacts", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const { limit, after } = pageParams(q, 30);
      if (q.has("group")) throw badRequest("group: contact groups do not apply to agent accounts");
      const source = q.get("source") ?? "address_book";
      if (!SOURCES.includes(source)) throw badRequest(`source must be one of: ${SOURCES.join(", ")}`);
      // Every contact here was made through the API (address_book); none is derived from mail.
      if (source !== "address_book") return cursorList(request, [], null);
      const page = listContacts(
        deps.store,
        grant.id,
        {
          ...(q.get("email") && { email: q.get("email") as string }),
          ...(q.get("phone_number") && { phoneNumber: q.get("phone_number") as string }),
        },
        limit,
        after,
      );
      return cursorList(request, page.rows.map(presentContact), nextCursorOf(page));
    })
    .get("/v3/grants/:grantId/contacts/groups", async ({ request, params }) => {
      await requireGrant(deps, request, params.grantId);
      throw badRequest("contact groups do not apply to agent accounts");
    })
    .post("/v3/grants/:grantId/contacts", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const row = await createContact(deps.store, grant, parseContact(body, true));
      return single(request, presentContact(row));
    })
    .get("/v3/grants/:grantId/contacts/:contactId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.contactId, "contact id");
      const row = findContact(deps.store, grant.id, id);
      if (!row) throw notFound(`contact ${id}`);
      return single(request, presentContact(row));
    })
    .put("/v3/grants/:grantId/contacts/:contactId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.contactId, "contact id");
      const row = await updateContact(deps.store, grant, id, parseContact(body, false));
      if (!row) throw notFound(`contact ${id}`);
      return single(request, presentContact(row));
    })
    .delete("/v3/grants/:grantId/contacts/:contactId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.contactId, "contact id");
      if (!(await deleteContact(deps.store, grant, id))) throw notFound(`contact ${id}`);
      return deleted(request);
    });
}
