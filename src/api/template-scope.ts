import type { Scope } from "../templates/scope.ts";
import { callerOf } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { requireGrant } from "./routes/messages.ts";

/** Templates and workflows of the caller's application (/v3/templates, /v3/workflows). */
export function applicationScope(request: Request): Scope {
  return { applicationId: callerOf(request).applicationId, grantId: null };
}

/** Templates and workflows of one of the caller's grants (/v3/grants/{id}/…). */
export async function grantScope(
  deps: ApiDeps,
  request: Request,
  grantId: string | undefined,
): Promise<Scope> {
  const grant = await requireGrant(deps, request, grantId);
  return { applicationId: grant.applicationId, grantId: grant.id };
}
