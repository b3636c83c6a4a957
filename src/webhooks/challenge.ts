import { randomBytes } from "node:crypto";

/**
 * Endpoint verification (reference §6.2): `GET <url>?challenge=<random>` must answer 200 with the
 * challenge as the raw body within the timeout. Returns null when it did, else the reason.
 */
export async function verifyEndpoint(url: string, timeoutMs: number): Promise<string | null> {
  const challenge = randomBytes(16).toString("hex");
  const target = new URL(url);
  target.searchParams.set("challenge", challenge);
  const shown = `GET ${url}${url.includes("?") ? "&" : "?"}challenge=…`;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(target, { signal: timeout, redirect: "manual" });
    const body = await res.text();
    if (res.status !== 200)
      return `${shown} answered HTTP ${res.status}; it must answer 200 with the challenge value`;
    if (body.trim() !== challenge) {
      return `${shown} answered 200 but its body was not the challenge value (it must echo the challenge query parameter as the raw body, without quotes or JSON)`;
    }
    return null;
  } catch (err) {
    if (timeout.aborted) return `${shown} did not answer within ${timeoutMs / 1000} s`;
    return `${shown} failed: ${(err as Error).message}`;
  }
}
