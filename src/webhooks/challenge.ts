import { randomBytes } from "node:crypto";
import { DestinationRefused, NoHttpAnswer, webhookRequest } from "./http-request.ts";
import type { Reach } from "./reach.ts";

/**
 * Endpoint verification (reference §6.2): `GET <url>?challenge=<random>` must answer 200 with the
 * challenge as the raw body within the timeout. Returns null when it did, else the reason.
 */
export async function verifyEndpoint(url: string, timeoutMs: number, reach: Reach): Promise<string | null> {
  const challenge = randomBytes(16).toString("hex");
  const target = new URL(url);
  target.searchParams.set("challenge", challenge);
  const shown = `GET ${url}${url.includes("?") ? "&" : "?"}challenge=…`;
  try {
    const res = await webhookRequest({ url: target.toString(), method: "GET", timeoutMs, reach });
    if (res.status !== 200)
      return `${shown} answered HTTP ${res.status}; it must answer 200 with the challenge value`;
    if (res.body.toString("utf8").trim() !== challenge) {
      return `${shown} answered 200 but its body was not the challenge value (it must echo the challenge query parameter as the raw body, without quotes or JSON)`;
    }
    return null;
  } catch (err) {
    if (err instanceof DestinationRefused) return `${shown}: ${err.message}`;
    if (err instanceof NoHttpAnswer && err.timedOut)
      return `${shown} did not answer within ${timeoutMs / 1000} s`;
    return `${shown} failed: ${(err as Error).message}`;
  }
}
