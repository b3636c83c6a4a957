import { type AgentboxApi, ToolFailure } from "./api.ts";

/** The grant id a `grant` argument names: an id as given, an email address looked up. */
export async function resolveGrant(api: AgentboxApi, grant: string): Promise<string> {
  if (!grant.includes("@")) return grant;
  const found = await findGrantByEmail(api, grant);
  if (!found) throw new ToolFailure(`no account ${grant} is reachable with this API key`);
  return String(found.id);
}

export async function findGrantByEmail(
  api: AgentboxApi,
  email: string,
): Promise<Record<string, unknown> | undefined> {
  const reply = await api.get("/v3/grants", { email: email.trim().toLowerCase(), limit: 1 });
  return (reply.body.data as Record<string, unknown>[] | undefined)?.[0];
}

/** `/v3/grants/{id}` with the id escaped. */
export const grantPath = (grantId: string, rest = "") => `/v3/grants/${encodeURIComponent(grantId)}${rest}`;
