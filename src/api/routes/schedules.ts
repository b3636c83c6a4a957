import { Elysia } from "elysia";
import { nowSeconds } from "../../ids.ts";
import { presentSchedule } from "../../present/schedule.ts";
import { cancelScheduledSend, findScheduledSend, listScheduledSends } from "../../sending/scheduled-store.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { single } from "../http.ts";
import { pathParam } from "../validate.ts";
import { requireGrant } from "./messages.ts";

/** Scheduled sends: list, one, cancel (202, as Nylas) (POST /messages/send with send_at creates them). */
export function scheduleRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/grants/:grantId/messages/schedules", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const rows = await listScheduledSends(deps.store, grant.id);
      return single(request, rows.map(presentSchedule));
    })
    .get("/v3/grants/:grantId/messages/schedules/:scheduleId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.scheduleId, "schedule id");
      const row = await findScheduledSend(deps.store.read, grant.id, id);
      if (!row) throw notFound(`scheduled send ${id}`);
      return single(request, presentSchedule(row));
    })
    .delete("/v3/grants/:grantId/messages/schedules/:scheduleId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.scheduleId, "schedule id");
      const row = await cancelScheduledSend(deps.store, grant.id, id, nowSeconds());
      if (!row) throw notFound(`scheduled send ${id}`);
      if (row.status !== "cancelled") {
        throw badRequest(`scheduled send ${id} is ${row.status} and can no longer be cancelled`);
      }
      return single(request, { message: `scheduled send ${id} is cancelled` }, 202);
    });
}
