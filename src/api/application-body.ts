import { badRequest } from "./errors.ts";
import { type Json, rejectUnknown, requireObject } from "./validate.ts";

const PLATFORMS = ["web", "desktop", "js", "ios", "android"];
/** The application object's fields the server manages: accepted (a GET sent back) and ignored. */
const READ_ONLY = [
  "application_id",
  "organization_id",
  "region",
  "environment",
  "default_workspace_id",
  "v2_application_id",
  "name",
];
const SETTINGS = ["branding", "hosted_authentication", "callback_uris"];

/**
 * The body of PATCH /v3/applications: Nylas's application object. `branding`,
 * `hosted_authentication` and `callback_uris` replace the stored ones whole (as Nylas: "each
 * supplied nested object is a full replace"); the fields the server manages are ignored.
 */
export function parseApplicationChanges(body: unknown): Record<string, unknown> {
  const input = requireObject(body);
  rejectUnknown(input, [...SETTINGS, ...READ_ONLY]);
  const changes: Record<string, unknown> = {};
  if (input.branding !== undefined) changes.branding = flatObject(input.branding, "branding");
  if (input.hosted_authentication !== undefined) {
    changes.hosted_authentication = flatObject(input.hosted_authentication, "hosted_authentication");
  }
  if (input.callback_uris !== undefined) changes.callback_uris = callbackUris(input.callback_uris);
  return changes;
}

/** An object of strings, numbers and booleans (what branding and hosted_authentication hold). */
function flatObject(value: unknown, path: string): Json {
  const obj = requireObject(value, path);
  for (const [k, v] of Object.entries(obj)) {
    if (!["string", "number", "boolean"].includes(typeof v)) {
      throw badRequest(`${path}.${k} must be a string, a number or a boolean`);
    }
  }
  return obj;
}

function callbackUris(value: unknown): Json[] {
  if (!Array.isArray(value)) throw badRequest("callback_uris must be an array");
  return value.map((item, i) => {
    const uri = requireObject(item, `callback_uris[${i}]`);
    if (typeof uri.platform !== "string" || !PLATFORMS.includes(uri.platform)) {
      throw badRequest(`callback_uris[${i}].platform must be one of: ${PLATFORMS.join(", ")}`);
    }
    if (typeof uri.url !== "string" || !URL.canParse(uri.url)) {
      throw badRequest(`callback_uris[${i}].url must be a URL`);
    }
    return { ...uri, id: typeof uri.id === "string" ? uri.id : crypto.randomUUID() };
  });
}
