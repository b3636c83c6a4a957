import { Elysia } from "elysia";
import { ProviderError } from "../connected/provider-error.ts";
import { MailboxError } from "../domain/errors.ts";
import { ComposeError } from "../mail/compose/errors.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { errorResponse, requestIdOf } from "./http.ts";
import { providerFailure } from "./provider-errors.ts";
import { accountListRoutes } from "./routes/account-lists.ts";
import { adminRoutes } from "./routes/admin.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { attachmentRoutes } from "./routes/attachments.ts";
import { availabilityRoutes } from "./routes/availability.ts";
import { calendarEventRoutes } from "./routes/calendar-events.ts";
import { calendarRoutes } from "./routes/calendars.ts";
import { cleanRoutes } from "./routes/clean.ts";
import { connectRoutes } from "./routes/connect.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { contactRoutes } from "./routes/contacts.ts";
import { domainRoutes } from "./routes/domains.ts";
import { draftRoutes } from "./routes/drafts.ts";
import { eventRoutes } from "./routes/events.ts";
import { folderRoutes } from "./routes/folders.ts";
import { freeBusyRoutes } from "./routes/free-busy.ts";
import { grantRoutes } from "./routes/grants.ts";
import { importRoutes } from "./routes/import.ts";
import { listRoutes } from "./routes/lists.ts";
import { messageRoutes } from "./routes/messages.ts";
import { outboundRoutes } from "./routes/outbound.ts";
import { policyRoutes } from "./routes/policies.ts";
import { providerRoutes } from "./routes/providers.ts";
import { reviewRoutes } from "./routes/review.ts";
import { ruleEvaluationRoutes } from "./routes/rule-evaluations.ts";
import { ruleRoutes } from "./routes/rules.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { sendRoutes } from "./routes/send.ts";
import { signatureRoutes } from "./routes/signatures.ts";
import { statusRoutes } from "./routes/status.ts";
import { templateRoutes } from "./routes/templates.ts";
import { threadRoutes } from "./routes/threads.ts";
import { transactionalRoutes } from "./routes/transactional.ts";
import { waitRoutes } from "./routes/wait.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { workflowRoutes } from "./routes/workflows.ts";
import { workspaceRoutes } from "./routes/workspaces.ts";

const MAILBOX_STATUS = {
  not_found: 404,
  invalid: 400,
  over_quota: 403,
  conflict: 409,
  too_big: 413,
  rate_limited: 429,
  blocked: 403,
  unavailable: 503,
} as const;

/** The /v3 routes. Authentication, request ids and size limits happen before (see server.ts). */
export function createApiApp(deps: ApiDeps) {
  return new Elysia()
    .onError(({ code, error, request }) => errorResponse(request, toApiError(code, error, request, deps)))
    .use(connectRoutes(deps))
    .use(grantRoutes(deps))
    .use(connectorRoutes(deps))
    .use(providerRoutes())
    .use(domainRoutes(deps))
    .use(adminRoutes(deps))
    .use(apiKeyRoutes(deps))
    .use(waitRoutes(deps))
    .use(sendRoutes(deps))
    .use(scheduleRoutes(deps))
    .use(transactionalRoutes(deps))
    .use(draftRoutes(deps))
    .use(cleanRoutes(deps))
    .use(importRoutes(deps))
    .use(messageRoutes(deps))
    .use(threadRoutes(deps))
    .use(folderRoutes(deps))
    .use(attachmentRoutes(deps))
    .use(contactRoutes(deps))
    .use(signatureRoutes(deps))
    .use(templateRoutes(deps))
    .use(workflowRoutes(deps))
    .use(webhookRoutes(deps))
    .use(outboundRoutes(deps))
    .use(statusRoutes(deps))
    .use(eventRoutes(deps))
    .use(availabilityRoutes(deps))
    .use(freeBusyRoutes(deps))
    .use(calendarRoutes(deps))
    .use(calendarEventRoutes(deps))
    .use(policyRoutes(deps))
    .use(ruleRoutes(deps))
    .use(ruleEvaluationRoutes(deps))
    .use(listRoutes(deps))
    .use(workspaceRoutes(deps))
    .use(reviewRoutes(deps))
    .use(accountListRoutes(deps));
}

function toApiError(code: string | number, error: unknown, request: Request, deps: ApiDeps): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof MailboxError) {
    const retry: Record<string, string> =
      error.retryAfterS === undefined ? {} : { "retry-after": String(error.retryAfterS) };
    return new ApiError(MAILBOX_STATUS[error.code], error.message, undefined, retry);
  }
  if (error instanceof ComposeError) return new ApiError(400, error.message);
  if (error instanceof ProviderError) return providerFailure(error) as ApiError;
  if (code === "PARSE") return new ApiError(400, "error parsing request body: it is not valid JSON");
  if (code === "NOT_FOUND") {
    const url = new URL(request.url);
    return new ApiError(404, `no such endpoint: ${request.method} ${url.pathname}`);
  }
  if (code === "VALIDATION") return new ApiError(400, (error as Error).message);
  deps.log.error({ err: error, requestId: requestIdOf(request) }, "unhandled API error");
  return new ApiError(500, `internal error; quote request id ${requestIdOf(request)} when reporting it`);
}
