import { Elysia } from "elysia";
import { wellKnownProvider } from "../../connected/well-known-providers.ts";
import { badRequest } from "../errors.ts";
import { single } from "../http.ts";

/**
 * POST /v3/providers/detect?email=: the provider of an address, from the well-known table
 * (src/connected/well-known-providers.ts). Any other domain is answered `imap`, undetected: the
 * caller gives its servers to POST /v3/connect/custom, as Nylas does.
 */
export function providerRoutes() {
  return new Elysia().post("/v3/providers/detect", ({ request }) => {
    const email = new URL(request.url).searchParams.get("email")?.trim().toLowerCase() ?? "";
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      throw badRequest("email is required: an email address to detect the provider of");
    const known = wellKnownProvider(email);
    return single(request, {
      email_address: email,
      detected: known !== undefined,
      provider: known?.provider ?? "imap",
      ...(known?.type !== undefined && { type: known.type }),
    });
  });
}
