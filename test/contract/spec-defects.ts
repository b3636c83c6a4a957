/**
 * The defects of Nylas's own published contract, each handled here explicitly and only here (the
 * list is the one in test/fixtures/nylas/notifications/README.md, plus what this suite found,
 * each with its evidence). A patch that no longer changes anything fails the suite: when Nylas
 * fixes its document, the workaround goes.
 */

type Doc = Record<string, any>;

export interface Defect {
  name: string;
  /** Why this is the spec's fault, not the server's. */
  why: string;
  /** Patches the loaded document in place; returns whether it found the defect to patch. */
  patch(doc: Doc): boolean;
}

/** Defects of the OpenAPI document (`nylas-openapi.yml`). */
export const OPENAPI_DEFECTS: Defect[] = [
  {
    name: "list data typed as an object",
    why:
      "the shared envelopes (common_response_with_cursor, common_response) type `data` as an object " +
      "while every list composes them (allOf) with `data: array`: no list could validate. The shared " +
      "type goes; each response's own `data` schema (the item schema for lists) stands.",
    patch(doc) {
      let patched = false;
      for (const name of ["common_response_with_cursor", "common_response"]) {
        const data = doc.components.schemas[name]?.properties?.data;
        if (data?.type === "object") {
          delete data.type;
          patched = true;
        }
      }
      return patched;
    },
  },
  {
    name: "API key list items under properties",
    why:
      "GET /v3/admin/applications/{id}/api-keys types `data` as an array and puts the key object " +
      "under `properties.api_key` (which constrains nothing on an array); the list's items are that object.",
    patch(doc) {
      const data =
        doc.components.responses["get-api-keys-200"]?.content?.["application/json"]?.schema?.allOf?.[1]
          ?.properties?.data;
      const key = data?.properties?.api_key;
      if (!key || data.items) return false;
      data.items = key;
      delete data.properties;
      return true;
    },
  },
  {
    name: "GET /webhooks/{id} trigger enum",
    why:
      "the inline trigger_types enum of GET /v3/webhooks/{id} lacks 24 of the 47 triggers the " +
      "create endpoint accepts; the shared trigger_types enum stands in for it.",
    patch(doc) {
      const all =
        doc.components.schemas.trigger_types?.items?.enum ?? doc.components.schemas.trigger_types?.enum;
      let patched = false;
      visit(doc.components.responses.get_by_id_200, (node) => {
        if (node.trigger_types?.items?.enum && node.trigger_types.items.enum.length < all.length) {
          node.trigger_types.items.enum = all;
          patched = true;
        }
      });
      return patched;
    },
  },
  {
    name: "draft response uses request constraints",
    why: "the draft object's `to` has minItems 1 (a request rule): a saved draft may have no recipient yet.",
    patch(doc) {
      const to = doc.components.schemas.draft?.properties?.to;
      if (to?.minItems === undefined) return false;
      delete to.minItems;
      return true;
    },
  },
  {
    name: "thread list nests data under threads",
    why:
      "GET /v3/grants/{id}/threads types `data` as `{threads: [...]}`, unlike every other list; Nylas's " +
      "own SDK pages it as a list (nylas-nodejs resource.js `_list`: `res.data.length`, " +
      "`res.data.concat(next.data)`), as it does messages: `data` is the array of threads.",
    patch(doc) {
      const data =
        doc.components.responses.threads?.content?.["application/json"]?.schema?.allOf?.[1]?.properties?.data;
      if (data?.type !== "object" || !data.properties?.threads) return false;
      Object.assign(data, data.properties.threads);
      delete data.properties;
      data.type = "array";
      return true;
    },
  },
  {
    name: "scheduled-send responses without the envelope",
    why:
      "GET /messages/schedules and /messages/schedules/{id} are typed as a bare array and a bare " +
      "object; Nylas's SDK reads `request_id` and `data` from both (nylas-python messages.py " +
      '`list_scheduled_messages`: `json_response["data"]`; `find_scheduled_message`: ' +
      "`Response.from_dict`), as from every other endpoint.",
    patch(doc) {
      let patched = false;
      for (const name of ["200_schedules", "200_schedule_id"]) {
        const content = doc.components.responses[name]?.content?.["application/json"];
        if (!content?.schema || content.schema.properties?.data) continue;
        content.schema = {
          type: "object",
          required: ["request_id", "data"],
          properties: { request_id: { type: "string" }, data: content.schema },
        };
        patched = true;
      }
      return patched;
    },
  },
  // Calendars (issue 15)
  {
    name: "event participants use request constraints",
    why:
      "the event object's `participants` has minItems 1 (a request rule), though its own description " +
      "says the organizer need not be listed: an event of its organizer alone has no participant.",
    patch(doc) {
      const participants = doc.components.schemas.event_participants;
      if (participants?.minItems === undefined) return false;
      delete participants.minItems;
      return true;
    },
  },
  {
    name: "event conferencing alternatives that do not exclude one another",
    why:
      "the event's `conferencing` is a oneOf of six object shapes that require nothing and name " +
      "different optional fields: an event without conferencing (`{}`) or one naming only its " +
      "`provider` fits all six, and oneOf refuses what fits more than one. They are alternatives (anyOf).",
    patch(doc) {
      const conferencing = doc.components.schemas.event_conferencing_response;
      if (!conferencing?.oneOf) return false;
      conferencing.anyOf = conferencing.oneOf;
      delete conferencing.oneOf;
      return true;
    },
  },
  // Guardrails (issue 14): nulls Nylas's own reference documents where its schemas type a value.
  {
    name: "guardrail lists' next_cursor typed as a string",
    why:
      "GET /v3/policies, /v3/rules, /v3/lists, /v3/lists/{list_id}/items and " +
      "/v3/grants/{grant_id}/rule-evaluations type next_cursor as a string; Nylas's pagination " +
      "section says it is absent or null on the last page (the reference, §1.4), and its SDKs page " +
      "until it is falsy.",
    patch(doc) {
      let patched = false;
      for (const path of GUARDRAIL_LISTS) {
        visit(doc.paths[path]?.get?.responses?.["200"], (node) => {
          const cursor = node.properties?.next_cursor;
          if (cursor?.type === "string" && !cursor.nullable) {
            cursor.nullable = true;
            patched = true;
          }
        });
      }
      return patched;
    },
  },
  {
    name: "workspace policy_id typed as a string",
    why:
      "the workspace object types policy_id as a string, yet Nylas's reference (§7.2) has PATCH " +
      "`policy_id: null` clear it: a workspace without a policy (the default one, at first) has null.",
    patch(doc) {
      let patched = false;
      visit(doc.components.schemas, (node) => {
        const policy = node.properties?.policy_id;
        if (node.properties?.workspace_id && policy?.type === "string" && !policy.nullable) {
          policy.nullable = true;
          patched = true;
        }
      });
      return patched;
    },
  },
  {
    name: "manual-assign results typed as arrays only",
    why:
      "POST /v3/workspaces/{workspace_id}/manual-assign types grants_assigned and grants_removed as " +
      "arrays; Nylas's reference (§7.2) answers `grants_assigned|null, grants_removed|null` (null " +
      "for the side the request did not ask for).",
    patch(doc) {
      let patched = false;
      visit(doc.paths["/v3/workspaces/{workspace_id}/manual-assign"]?.post?.responses, (node) => {
        for (const key of ["grants_assigned", "grants_removed"]) {
          const field = node.properties?.[key];
          if (field?.type === "array" && !field.nullable) {
            field.nullable = true;
            patched = true;
          }
        }
      });
      return patched;
    },
  },
];

const GUARDRAIL_LISTS = [
  "/v3/policies",
  "/v3/rules",
  "/v3/lists",
  "/v3/lists/{list_id}/items",
  "/v3/grants/{grant_id}/rule-evaluations",
];

/**
 * Keywords the document holds that are no JSON Schema keyword, and why each is harmless:
 * `descriptions` is a typo of the `description` annotation (API key responses); `ID` is a stray
 * property name written beside a `$ref` (group_event items); `content` belongs to two response
 * objects filed under components.schemas (200-delete, 400-2), never used as schemas.
 */
export const STRAY_KEYWORDS = ["descriptions", "ID", "content"];

/** Defects of the notification schemas (`notifications/*.schema.json`), by file name. */
export const NOTIFICATION_DEFECTS: Defect[] = [
  {
    name: "envelope caps webhook_delivery_attempt at 3",
    why: "Nylas itself retries more than three times; the cap is the schema's, not the wire's.",
    patch(schemas) {
      const attempt = schemas["nylas-notification-envelope"]?.properties?.webhook_delivery_attempt;
      if (attempt?.maximum === undefined) return false;
      delete attempt.maximum;
      return true;
    },
  },
  {
    name: "grant provider enum lacks nylas",
    why: "the REST grant object's provider enum has `nylas` (Agent Accounts); the notification schemas' do not.",
    patch(schemas) {
      let patched = false;
      for (const name of ["nylas-grant-created", "nylas-grant-updated", "nylas-grant-deleted"]) {
        const provider = schemas[name]?.properties?.provider;
        if (provider?.enum && !provider.enum.includes("nylas")) {
          provider.enum.push("nylas");
          patched = true;
        }
      }
      return patched;
    },
  },
];

function visit(node: unknown, fn: (node: Doc) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, fn);
  } else if (node !== null && typeof node === "object") {
    fn(node as Doc);
    for (const v of Object.values(node)) visit(v, fn);
  }
}
