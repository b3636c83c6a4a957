import { DestinationRefused, NoHttpAnswer, webhookRequest } from "./http-request.ts";
import type { Reach } from "./reach.ts";

export type PostResult =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; status: number | null; error: string };

/** Answers worth another attempt (reference §6.3 lists 408, 429, 502, 503, 504, 507; we retry every 5xx). */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One delivery attempt. Success is any 2xx; redirects are not followed (a 3xx is a failure).
 * No HTTP answer within `timeoutMs`, a refused connection or a reset are retried; a destination
 * out of the application's reach is not.
 */
export async function postNotification(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
  reach: Reach,
  abort?: AbortSignal,
): Promise<PostResult> {
  try {
    const res = await webhookRequest({ url, method: "POST", headers, body, timeoutMs, signal: abort, reach });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, retry: retryable(res.status), status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    if (err instanceof DestinationRefused)
      return { ok: false, retry: false, status: null, error: err.message };
    // A timeout is visible from the time the call took anyway; every other failure reads the same.
    const timedOut = err instanceof NoHttpAnswer && err.timedOut;
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : new NoHttpAnswer(false).message;
    return { ok: false, retry: true, status: null, error: reason };
  }
}
