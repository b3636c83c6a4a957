import nodemailer from "nodemailer";
import { PASSWORD, uniqueEmail } from "../../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../../support/server.ts";

export { PASSWORD };

export interface Mailbox {
  id: string;
  email: string;
  password: string;
}

/** The real server with its SMTP listeners; `env` overrides AGENTBOX_* settings. */
export function startSmtpTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(env);
}

/** A hosted account with an app password (the credential mail clients use). */
export async function mailbox(
  t: TestServer,
  prefix = "agent",
  settings: Record<string, unknown> = {},
): Promise<Mailbox> {
  const email = uniqueEmail(prefix);
  const res = await api(t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email, app_password: PASSWORD, ...settings },
  });
  if (res.status !== 201) throw new Error(`account not created: ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, email, password: PASSWORD };
}

export type SubmissionPort = "smtps" | "submission";

/** nodemailer against one of the submission ports, TLS verified against the server's own certificate. */
export function submitTransport(t: TestServer, port: SubmissionPort, user: Mailbox | null) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: t.server.ports[port],
    secure: port === "smtps",
    requireTLS: port === "submission",
    ...(user && { auth: { user: user.email, pass: user.password } }),
    tls: { ca: t.server.tls.cert, servername: "localhost" },
    connectionTimeout: 5000,
    logger: false,
  });
}

/** nodemailer against the MX port (no AUTH), STARTTLS verified. */
export function mxTransport(t: TestServer, name = "sender.example") {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: t.server.ports.mx,
    secure: false,
    requireTLS: true,
    name,
    tls: { ca: t.server.tls.cert, servername: "localhost" },
    connectionTimeout: 5000,
    logger: false,
  });
}

/** Messages of a folder through the API, newest first. */
export async function folder(
  t: TestServer,
  grantId: string,
  folderId: string,
): Promise<Record<string, any>[]> {
  const res = await api(t, "GET", `/v3/grants/${grantId}/messages?in=${folderId}&limit=200`);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.data;
}

/** A message's stored bytes, through the API. */
export async function rawMessage(t: TestServer, grantId: string, messageId: string): Promise<Buffer> {
  const res = await api(t, "GET", `/v3/grants/${grantId}/messages/${messageId}?fields=raw_mime`);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return Buffer.from(res.body.data.raw_mime, "base64url");
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await Bun.sleep(20);
  }
}

/** A simple RFC 5322 message. */
export function rfc822(fields: Record<string, string>, body = "Hello there.\r\n"): string {
  const head = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  return `${head}\r\n\r\n${body}`;
}
