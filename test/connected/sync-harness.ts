import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { saveConnectedAccount } from "../../src/connected/account.ts";
import { uniqueEmail } from "../api/helpers.ts";
import { dovecotInstalled, type PrivateDovecot, startPrivateDovecot } from "../support/dovecot.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { Receiver, subscribe } from "../webhooks/receiver.ts";

export { dovecotInstalled };

export const PROVIDER_PASSWORD = "provider-pass-1";

/** The real server, a private Dovecot standing in for the provider, and a webhook receiver. */
export interface SyncFixture {
  t: TestServer;
  dovecot: PrivateDovecot;
  receiver: Receiver;
  stop(): Promise<void>;
}

export async function syncFixture(env: Record<string, string> = {}): Promise<SyncFixture> {
  const dovecot = await startPrivateDovecot();
  const t = await startTestServer({ AGENTBOX_PROVIDER_CA_FILE: dovecot.caFile, ...env });
  const receiver = Receiver.start();
  await subscribe(t, receiver.url, [
    "message.created",
    "message.updated",
    "message.deleted",
    "grant.expired",
    "grant.imap_sync_completed",
  ]);
  const fixture: SyncFixture = {
    t,
    dovecot,
    receiver,
    async stop() {
      // A test may have replaced the server (a restart on the same data directory).
      await fixture.t.stop();
      await receiver.stop();
      await dovecot.destroy();
    },
  };
  return fixture;
}

/**
 * A grant of the default application whose mail lives at the private Dovecot (a new provider
 * user), saved as connected; the sync is not started.
 */
export async function connectedGrant(
  f: Pick<SyncFixture, "t" | "dovecot">,
  user = uniqueEmail("conn"),
  options: { skipUser?: boolean } = {},
): Promise<{ grantId: string; user: string }> {
  if (!options.skipUser) await f.dovecot.addUser(user, PROVIDER_PASSWORD);
  const res = await api(f.t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: user, app_password: "Agent-Password-1234" },
  });
  if (res.status !== 201) throw new Error(`grant: ${res.status} ${JSON.stringify(res.body)}`);
  const grantId = res.body.data.id as string;
  const endpoint = {
    host: f.dovecot.host,
    port: f.dovecot.tlsPort,
    security: "tls" as const,
    username: user,
    password: PROVIDER_PASSWORD,
  };
  await saveConnectedAccount(f.t.server.store, { grantId, email: user, imap: endpoint, smtp: endpoint });
  return { grantId, user };
}

/**
 * The person changes their password at the provider: it holds from the next login, and the
 * provider ends the sessions open with the old one (as providers do; `doveadm kick`).
 */
export async function changeProviderPassword(
  dovecot: PrivateDovecot,
  user: string,
  pass: string,
): Promise<void> {
  await dovecot.setPassword(user, pass);
  const kicked = spawnSync("doveadm", ["-c", join(dovecot.dir, "dovecot.conf"), "kick", user], {
    encoding: "utf8",
  });
  if (kicked.status !== 0 && kicked.status !== 68) throw new Error(`doveadm kick: ${kicked.stderr}`);
}

/** An RFC 5322 message. */
export function mail(opts: { subject?: string; messageId?: string | null; date?: Date; body?: string } = {}) {
  const id = opts.messageId === undefined ? `<${crypto.randomUUID()}@provider.test>` : opts.messageId;
  return [
    "From: Alice Example <alice@example.com>",
    "To: Bob <bob@example.org>",
    `Subject: ${opts.subject ?? "Hello"}`,
    `Date: ${(opts.date ?? new Date()).toUTCString()}`,
    ...(id ? [`Message-ID: ${id}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    opts.body ?? "Hello there.",
    "",
  ].join("\r\n");
}

export const DAY_MS = 86_400_000;

/** Polls `check` until it returns a value (not undefined/false) or `ms` pass. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(50);
  }
}

/** Every message of a grant as the API lists it (subject, folders, unread, starred). */
export async function listMessages(
  t: TestServer,
  grantId: string,
  query = "",
): Promise<Record<string, any>[]> {
  const res = await api(t, "GET", `/v3/grants/${grantId}/messages?limit=200${query}`);
  if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
