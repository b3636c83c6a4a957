export type PostResult =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; status: number | null; error: string };

/** Answers worth another attempt (reference §6.3 lists 408, 429, 502, 503, 504, 507; we retry every 5xx). */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One delivery attempt. Success is any 2xx; redirects are not followed (a 3xx is a failure).
 * No answer within `timeoutMs`, a refused connection or a reset are retried.
 */
export async function postNotification(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<PostResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = abort ? AbortSignal.any([timeout, abort]) : timeout;
  try {
    const res = await fetch(url, { method: "POST", body, headers, signal, redirect: "manual" });
    // Read the answer so the connection goes back to the pool.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, retry: retryable(res.status), status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : describe(err);
    return { ok: false, retry: true, status: null, error: reason };
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? "connection failed";
  return e.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
}
