/**
 * The one HTTP request webhooks make (challenge GETs, notification POSTs). The destination is
 * checked on the addresses the connection will use, not on the URL's spelling: the host name is
 * resolved here, every address it resolves to (or the address the URL names) must be in the
 * application's reach, and the request goes to that checked address (the Host header and the TLS
 * name stay the URL's), so DNS cannot swap in a private address between check and connect. The
 * reply is read up to `maxReplyBytes`, then dropped. Failures that are not an HTTP answer
 * (refused, reset, malformed, TLS) all read the same, so a webhook cannot tell what sits on a port.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "./private-addresses.ts";
import type { Reach } from "./reach.ts";

export const MAX_REPLY_BYTES = 64 * 1024;

export interface WebhookRequest {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
  signal?: AbortSignal;
  reach: Reach;
  maxReplyBytes?: number;
}

export interface WebhookReply {
  status: number;
  /** At most `maxReplyBytes` of the body. */
  body: Buffer;
}

/** The destination is not one this application's webhooks may reach. */
export class DestinationRefused extends Error {
  constructor() {
    super(
      "the destination is a private, loopback or link-local address, which this server's webhooks may not reach (AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS)",
    );
    this.name = "DestinationRefused";
  }
}

/** Anything but an HTTP answer; deliberately one message whatever happened. */
export class NoHttpAnswer extends Error {
  constructor(readonly timedOut: boolean) {
    super("no HTTP response (the connection failed, was reset, timed out, or did not answer HTTP)");
    this.name = "NoHttpAnswer";
  }
}

export async function webhookRequest(req: WebhookRequest): Promise<WebhookReply> {
  const target = new URL(req.url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const address = await checkedAddress(host, req.reach);
  // Pinned: the connection goes to the address just checked, whatever DNS says a moment later.
  // The Host header and the certificate check keep the name.
  const pinned = new URL(target);
  pinned.hostname = address.includes(":") ? `[${address}]` : address;
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  try {
    const res = await fetch(pinned, {
      method: req.method,
      headers: { ...req.headers, host: target.host },
      body: req.body,
      signal,
      redirect: "manual",
      tls: { serverName: host },
    });
    return { status: res.status, body: await readCapped(res, req.maxReplyBytes ?? MAX_REPLY_BYTES) };
  } catch {
    throw new NoHttpAnswer(timeout.aborted);
  }
}

/** The address to connect to: the URL's own, or the first the name resolves to, if all are in reach. */
async function checkedAddress(host: string, reach: Reach): Promise<string> {
  const addresses = isIP(host) ? [host] : await resolve(host);
  if (!reach.privateAllowed && addresses.some(isPrivateAddress)) throw new DestinationRefused();
  const first = addresses[0];
  if (!first) throw new NoHttpAnswer(false);
  return first;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new NoHttpAnswer(false);
  }
}

/** Up to `max` bytes of the body; the rest is not read (the connection is dropped). */
async function readCapped(res: Response, max: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value.subarray(0, max - kept));
    kept += Math.min(value.byteLength, max - kept);
    if (kept >= max) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks);
}
