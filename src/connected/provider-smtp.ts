import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { ProviderEndpoint } from "./account.ts";
import { classifyProviderError } from "./provider-error.ts";
import type { ProviderTimeouts } from "./provider-imap.ts";

/**
 * Hands a message to the provider's SMTP submission server as the account (one connection, closed
 * after): implicit TLS or STARTTLS (required) as the account's settings say, the certificate
 * verified. A refusal or an unreachable server throws a ProviderError.
 */
export async function submitToProvider(
  endpoint: ProviderEndpoint,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts,
  envelope: { from: string; to: string[] },
  raw: Uint8Array,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === "tls",
    requireTLS: endpoint.security === "starttls",
    auth: { user: endpoint.username, pass: endpoint.password },
    tls: isIP(endpoint.host) ? tls : { ...tls, servername: endpoint.host },
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.connectMs,
    socketTimeout: timeouts.commandMs,
    logger: false,
  } as Parameters<typeof nodemailer.createTransport>[0]) as Mail;
  try {
    await transport.sendMail({ envelope, raw: Buffer.from(raw) });
  } catch (err) {
    throw classifyProviderError(err, endpoint, "command");
  } finally {
    transport.close();
  }
}
