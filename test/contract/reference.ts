import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { admitExtensionValues } from "./extensions.ts";
import { type Outcome, SchemaValidator } from "./json-schema.ts";
import { NOTIFICATION_DEFECTS, OPENAPI_DEFECTS } from "./spec-defects.ts";
import { UNPUBLISHED_NOTIFICATIONS } from "./unpublished-notifications.ts";

/**
 * Nylas's published contract, loaded from the vendored copy (test/fixtures/nylas/README.md says
 * why a copy) with the spec's own defects patched (spec-defects.ts): the OpenAPI document's
 * responses by path, method and status, and the notification schemas by trigger.
 */

const DIR = join(import.meta.dir, "..", "fixtures", "nylas");

type Doc = Record<string, any>;

export interface Reference {
  openapi: Doc;
  /** Notification schemas by file stem (`nylas-message-created`). */
  notifications: Record<string, Doc>;
  /** The names of the defects whose patch found nothing to patch (the spec was fixed). */
  stalePatches: string[];
}

let loaded: Reference | null = null;

export function loadReference(): Reference {
  if (loaded) return loaded;
  const openapi = Bun.YAML.parse(readFileSync(join(DIR, "nylas-openapi.yml"), "utf8")) as Doc;
  const notifications: Record<string, Doc> = {};
  for (const file of readdirSync(join(DIR, "notifications"))) {
    if (!file.endsWith(".schema.json")) continue;
    notifications[file.slice(0, -".schema.json".length)] = JSON.parse(
      readFileSync(join(DIR, "notifications", file), "utf8"),
    );
  }
  // Triggers Nylas publishes no schema for, transcribed from its reference pages (each says where).
  const transcribed = join(import.meta.dir, "transcribed");
  for (const file of readdirSync(transcribed)) {
    const name = file.slice(0, -".schema.json".length);
    if (name in notifications) throw new Error(`${name} is published now: drop the transcription`);
    notifications[name] = JSON.parse(readFileSync(join(transcribed, file), "utf8"));
  }
  const stalePatches = [
    ...OPENAPI_DEFECTS.filter((d) => !d.patch(openapi)),
    ...NOTIFICATION_DEFECTS.filter((d) => !d.patch(notifications)),
  ]
    .map((d) => d.name)
    .concat(admitExtensionValues(openapi).map((v) => `no enum holds ${v} to extend`));
  loaded = { openapi, notifications, stalePatches };
  return loaded;
}

/** `GET /v3/grants/{grant_id}/messages` → the spec's path item and operation. */
export function operationOf(ref: Reference, method: string, template: string): Doc | null {
  return ref.openapi.paths[template]?.[method.toLowerCase()] ?? null;
}

/** The statuses the spec declares for an operation. */
export function declaredStatuses(ref: Reference, method: string, template: string): string[] {
  return Object.keys(operationOf(ref, method, template)?.responses ?? {});
}

export interface ResponseCheck extends Outcome {
  /** The response's media type in the spec (application/json, application/octet-stream…). */
  mediaType: string | null;
}

/**
 * Validates a response against the spec's schema for its path, method and status. A status the
 * spec does not declare (nor a `default`) is a violation in itself.
 */
export function checkResponse(
  ref: Reference,
  method: string,
  template: string,
  status: number,
  body: unknown,
): ResponseCheck {
  const op = operationOf(ref, method, template);
  const where = `${method} ${template}`;
  if (!op) return failed(`${where} is not in Nylas's OpenAPI document`);
  let response = op.responses?.[String(status)] ?? op.responses?.default;
  if (!response) {
    return failed(`${where} answered ${status}; the spec declares ${Object.keys(op.responses).join(", ")}`);
  }
  const validator = new SchemaValidator(ref.openapi);
  if (response.$ref) response = validator.resolve(response.$ref);
  const [mediaType, content] = (Object.entries(response.content ?? {})[0] ?? [null, null]) as [
    string | null,
    Doc | null,
  ];
  if (!content?.schema || mediaType !== "application/json") return { violations: [], extras: [], mediaType };
  return { ...validator.validate(content.schema, body), mediaType };
}

/**
 * The REST object a notification's `data.object` is (docs/api.md: "exactly what GET returns"):
 * it is held to Nylas's REST schema as well as to the notification's own (thinner) schema.
 */
const REST_OBJECTS: Record<string, string> = {
  "message.created": "message",
  "message.updated": "message",
  "message.send_success": "message",
  "folder.created": "folder",
  "folder.updated": "folder",
};

/**
 * Validates a notification in one pass: the envelope against the envelope schema, its object (or
 * its `data`, for the schemas that say `x-describes: data`) against the trigger's schema, and an
 * object that is a REST object against that object's schema in the OpenAPI document. A trigger
 * without a published schema is validated against `fallback` when given (a schema this suite
 * transcribed from Nylas's documentation page), else, when unpublished-notifications.ts lists it,
 * its object against the schema listed there; else reported.
 */
export function checkNotification(ref: Reference, envelope: Doc, fallback?: Doc): Outcome {
  const type = String(envelope.type).replace(/\.truncated$/, "");
  const schema =
    ref.notifications[schemaNameOf(type)] ??
    ref.notifications[SAME_SHAPE_AS[type] ?? ""] ??
    fallback ??
    UNPUBLISHED_NOTIFICATIONS[type]?.object;
  if (!schema) return { violations: [{ path: "type", message: `no schema for ${type}` }], extras: [] };
  const inner =
    schema["x-describes"] === "data"
      ? { properties: { data: schema } }
      : { properties: { data: { properties: { object: schema } } } };
  const rest = REST_OBJECTS[type];
  const layers = [ref.notifications["nylas-notification-envelope"] as Doc, inner];
  if (rest)
    layers.push({
      properties: { data: { properties: { object: { $ref: `#/components/schemas/${rest}` } } } },
    });
  return new SchemaValidator(ref.openapi).validate({ allOf: layers }, envelope);
}

/**
 * Triggers Nylas publishes no schema for, held to the schema of the trigger whose shape theirs
 * is: a transactional send's deliverability reports are an agent account's, without a grant.
 */
const SAME_SHAPE_AS: Record<string, string> = {
  "message.transactional.delivered": "nylas-message-delivered",
  "message.transactional.bounced": "nylas-message-bounced",
};

/** `message.send_success` → `nylas-message-send-success`. */
export function schemaNameOf(trigger: string): string {
  return `nylas-${trigger.replace(/[._]/g, "-")}`;
}

function failed(message: string): ResponseCheck {
  return { violations: [{ path: "(status)", message }], extras: [], mediaType: null };
}
