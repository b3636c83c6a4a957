import type { SpamSignal } from "./signal.ts";

export interface RspamdRequest {
  raw: Uint8Array;
  ip: string;
  helo: string;
  mailFrom: string;
  recipients: readonly string[];
}

/**
 * rspamd's verdict through its HTTP API (`POST /checkv2` of the normal worker, the message as
 * the body, the envelope in headers): its symbols become signals with its own scores. An error
 * or a timeout throws (the caller falls back to agentbox's own checks).
 */
export async function rspamdSignals(url: string, r: RspamdRequest, timeoutMs: number): Promise<SpamSignal[]> {
  const headers = new Headers({ IP: r.ip, Helo: r.helo, From: r.mailFrom || "<>" });
  for (const rcpt of r.recipients) headers.append("Rcpt", rcpt);
  const res = await fetch(`${url}/checkv2`, {
    method: "POST",
    headers,
    body: r.raw,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`rspamd answered HTTP ${res.status}`);
  const body = (await res.json()) as { symbols?: Record<string, { name?: string; score?: number }> };
  return Object.values(body.symbols ?? {})
    .filter((s) => typeof s.score === "number" && s.score !== 0)
    .map((s) => ({ name: s.name ?? "?", score: s.score as number, detail: "rspamd" }));
}
