import { isTriggerType } from "../webhooks/triggers.ts";
import type { WebhookChanges, WebhookSettings } from "../webhooks/webhooks.ts";
import { badRequest } from "./errors.ts";
import { type Json, optionalBoolean, optionalString, rejectUnknown, requireObject } from "./validate.ts";

/** Request bodies of /v3/webhooks (reference §6.1), validated field by field. */

const SETTINGS = [
  "trigger_types",
  "webhook_url",
  "description",
  "notification_email_addresses",
  "compressed_delivery",
];
const MAX_URL = 2048;

export function parseCreate(body: unknown): WebhookSettings {
  const input = requireObject(body);
  rejectUnknown(input, SETTINGS);
  if (input.trigger_types === undefined) throw badRequest("trigger_types is required");
  if (input.webhook_url === undefined) throw badRequest("webhook_url is required");
  return {
    triggerTypes: triggerTypes(input.trigger_types),
    url: webhookUrl(input.webhook_url, "webhook_url"),
    description: optionalString(input, "description", "description", 1024) ?? null,
    notificationEmailAddresses: emails(input.notification_email_addresses),
    compressedDelivery: optionalBoolean(input, "compressed_delivery", "compressed_delivery") ?? false,
  };
}

/** Omitted fields stay as they are. */
export function parseUpdate(body: unknown): WebhookChanges {
  const input = requireObject(body);
  rejectUnknown(input, [...SETTINGS, "status"]);
  const changes: WebhookChanges = {};
  if (input.trigger_types !== undefined) changes.triggerTypes = triggerTypes(input.trigger_types);
  if (input.webhook_url !== undefined) changes.url = webhookUrl(input.webhook_url, "webhook_url");
  if (input.description !== undefined) {
    changes.description = optionalString(input, "description", "description", 1024) ?? null;
  }
  if (input.notification_email_addresses !== undefined) {
    changes.notificationEmailAddresses = emails(input.notification_email_addresses);
  }
  const compressed = optionalBoolean(input, "compressed_delivery", "compressed_delivery");
  if (compressed !== undefined) changes.compressedDelivery = compressed;
  if (input.status !== undefined) changes.status = status(input);
  return changes;
}

/** `{trigger_type}` (mock-payload) or `{trigger_type, webhook_url}` (send-test-event). */
export function parseTestRequest(body: unknown, withUrl: boolean): { triggerType: string; url: string } {
  const input = requireObject(body);
  rejectUnknown(input, withUrl ? ["trigger_type", "webhook_url"] : ["trigger_type"]);
  const trigger = input.trigger_type;
  if (typeof trigger !== "string" || trigger === "") throw badRequest("trigger_type is required");
  if (!isTriggerType(trigger)) throw badRequest(`unknown trigger_type: ${trigger}`);
  if (!withUrl) return { triggerType: trigger, url: "" };
  if (input.webhook_url === undefined) throw badRequest("webhook_url is required");
  return { triggerType: trigger, url: webhookUrl(input.webhook_url, "webhook_url") };
}

export function webhookUrl(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`${path} must be a URL`);
  if (value.length > MAX_URL) throw badRequest(`${path} must be at most ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`${path} is not a valid URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw badRequest(`${path} must be an http:// or https:// URL`);
  }
  return value;
}

function triggerTypes(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest("trigger_types must be a non-empty array of trigger type names");
  }
  if (value.some((t) => typeof t !== "string")) throw badRequest("trigger_types must hold strings");
  const unknown = (value as string[]).filter((t) => !isTriggerType(t));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown trigger type${unknown.length > 1 ? "s" : ""} in trigger_types: ${unknown.join(", ")}`,
    );
  }
  return [...new Set(value as string[])];
}

function emails(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw badRequest("notification_email_addresses must be an array of email addresses");
  if (value.length > 50) throw badRequest("notification_email_addresses holds at most 50 addresses");
  for (const e of value) {
    if (typeof e !== "string" || !/^[^\s@]+@[^\s@]+$/.test(e) || e.length > 320) {
      throw badRequest(`notification_email_addresses: ${JSON.stringify(e)} is not an email address`);
    }
  }
  return value as string[];
}

function status(input: Json): "active" | "pause" {
  const s = input.status;
  if (s === "active" || s === "pause") return s;
  throw badRequest("status must be active or pause (failing and failed are set by the server)");
}
