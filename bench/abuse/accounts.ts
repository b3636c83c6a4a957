/** Hosted accounts made through the API: the runner's target account, and any a scenario needs. */
import type { AbuseTarget } from "./scenario.ts";

/** An account named `<prefix>-<random>@agents.localhost`, with `password` as its app password (none if null). */
export async function createAccount(
  api: Pick<AbuseTarget, "http" | "apiKey">,
  prefix: string,
  password: string | null,
): Promise<AbuseTarget["account"]> {
  const email = `${prefix}-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
  const res = await fetch(`${api.http}/v3/connect/custom`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      provider: "nylas",
      settings: password === null ? { email } : { email, app_password: password },
    }),
  });
  const body = (await res.json()) as { data?: { id: string } };
  if (res.status !== 201 || !body.data) throw new Error(`account not created: ${JSON.stringify(body)}`);
  return { id: body.data.id, email, password: password ?? "" };
}
