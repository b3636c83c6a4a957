import type { ImapSettings } from "../connected/connect-account.ts";
import { wellKnownProvider } from "../connected/well-known-providers.ts";
import { badRequest } from "./errors.ts";
import { type Json, optionalString, rejectUnknown, requiredString, requireObject } from "./validate.ts";

const SETTINGS = [
  "imap_username",
  "imap_password",
  "imap_host",
  "imap_port",
  "smtp_host",
  "smtp_port",
  "smtp_username",
  "smtp_password",
  "type",
  // agentbox extension: the account's address when the IMAP username is not it.
  "email",
] as const;

/**
 * `settings` of POST /v3/connect/custom with provider imap. The hosts and ports of a well-known
 * provider are filled in from the address when left out; anyone else must give them.
 */
export function parseImapSettings(value: unknown): ImapSettings {
  const settings = requireObject(value, "settings");
  rejectUnknown(settings, SETTINGS, "settings.");
  const username = requiredString(settings, "imap_username", "settings.imap_username", 254).trim();
  const password = requiredString(settings, "imap_password", "settings.imap_password", 1024);
  const email = (optionalString(settings, "email", "settings.email", 254) ?? username).trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw badRequest("settings.imap_username must be the account's email address (or give settings.email)");
  }
  const known = wellKnownProvider(email);
  const imapHost =
    optionalString(settings, "imap_host", "settings.imap_host", 253)?.trim() || known?.imap.host;
  if (!imapHost) {
    throw badRequest(
      `settings.imap_host is required: ${email.split("@")[1]} is not a provider this server knows`,
    );
  }
  const imapPort = portOf(settings, "imap_port") ?? known?.imap.port ?? 993;
  const smtpHost =
    optionalString(settings, "smtp_host", "settings.smtp_host", 253)?.trim() || known?.smtp.host;
  if (!smtpHost) throw badRequest("settings.smtp_host is required (the provider's SMTP server, for sending)");
  const smtpPort = portOf(settings, "smtp_port") ?? known?.smtp.port ?? 587;
  const type = optionalString(settings, "type", "settings.type", 64) ?? known?.type;
  return {
    email,
    imap: { host: imapHost, port: imapPort, username, password },
    smtp: {
      host: smtpHost,
      port: smtpPort,
      username: optionalString(settings, "smtp_username", "settings.smtp_username", 254) ?? username,
      password: optionalString(settings, "smtp_password", "settings.smtp_password", 1024) ?? password,
    },
    ...(type !== undefined && { type }),
  };
}

function portOf(settings: Json, key: "imap_port" | "smtp_port"): number | undefined {
  const value = settings[key];
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw badRequest(`settings.${key} must be a port number (1-65535)`);
  }
  return n;
}
