import { ERROR_TYPES } from "../errors.ts";
import { OPERATIONS, type Operation } from "./operations.ts";
import { ref, SCHEMAS } from "./schemas.ts";

/** Every authenticated route can answer these (a missing id is a 404, never a 403). */
const COMMON_ERRORS = [400, 401, 404, 429, 500];
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: the message says which field and why",
  401: "No, a malformed, an unknown or a revoked API key",
  403: "Not allowed for this key, or over a quota",
  404: "No such object for this application (another application's is a 404 too)",
  405: "Method not allowed",
  409: "Conflicts with the current state",
  413: "Body over the limit",
  429: "Too many requests or failed authentications: see Retry-After",
  500: "Internal error: quote the request id",
  503: "Not ready, or too many large bodies at once: see Retry-After",
};

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document of every route (src/api/openapi/operations.ts), built once. */
export function openApiDocument(version: string): Record<string, unknown> {
  cached ??= build(version);
  return cached;
}

function build(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = operation(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "agentbox",
      version,
      summary: "A self-hosted mail server for AI agents, wire-compatible with Nylas v3",
      description:
        "The REST API of agentbox. Authenticate with `Authorization: Bearer <API key>`. Every answer carries `request_id` (also in `x-request-id`); errors use the Nylas envelope `{request_id, error: {type, message}}`. docs/api.md says where agentbox differs from Nylas.",
      license: { name: "Proprietary", identifier: "LicenseRef-agentbox" },
    },
    servers: [{ url: "/" }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An agentbox API key" },
        serviceAccount: {
          type: "apiKey",
          in: "header",
          name: "X-Nylas-Kid",
          description:
            "A Nylas service-account signature (X-Nylas-Kid, X-Nylas-Nonce, X-Nylas-Timestamp, X-Nylas-Signature)",
        },
      },
    },
  };
}

function operation(op: Operation): Record<string, unknown> {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = (op.query ?? []).map((p) => ({
    name: p.name,
    in: "query",
    required: false,
    description: p.description,
    schema: p.schema ?? { type: "string" },
  }));
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    ...(pathParams.length + query.length > 0 && { parameters: [...pathParams, ...query] }),
    ...(op.body && { requestBody: requestBody(op.body) }),
    responses: responses(op),
    security: security(op.auth ?? "key"),
  };
}

function requestBody(body: NonNullable<Operation["body"]>) {
  if (body.only)
    return { required: body.required ?? true, content: { [body.only]: { schema: body.schema } } };
  const content: Record<string, unknown> = { "application/json": { schema: body.schema } };
  if (body.multipart)
    content["multipart/form-data"] = {
      schema: { type: "object", description: "`message` (the JSON) and file parts" },
    };
  if (body.mime)
    content["message/rfc822"] = {
      schema: { type: "string", description: "The raw message (with type=mime)" },
    };
  return { required: body.required ?? true, content };
}

function responses(op: Operation): Record<string, unknown> {
  const ok = op.ok;
  const type = ok.contentType ?? "application/json";
  const out: Record<string, unknown> = {
    [String(ok.status)]: {
      description: ok.description ?? "OK",
      ...((ok.schema || type !== "application/json") && {
        content: { [type]: { schema: ok.schema ?? { type: "string" } } },
      }),
    },
  };
  const statuses = op.auth === "none" ? (op.errors ?? []) : [...COMMON_ERRORS, ...(op.errors ?? [])];
  for (const status of [...new Set(statuses)].sort()) {
    out[String(status)] = {
      description: `${ERROR_DESCRIPTIONS[status] ?? "Error"} (error.type ${ERROR_TYPES[status as keyof typeof ERROR_TYPES] ?? "api_error"})`,
      content: { "application/json": { schema: ref("Error") } },
    };
  }
  return out;
}

function security(auth: NonNullable<Operation["auth"]>): Record<string, string[]>[] {
  if (auth === "none") return [];
  if (auth === "key_or_signature") return [{ apiKey: [] }, { serviceAccount: [] }];
  return [{ apiKey: [] }];
}

/** `get /v3/grants/{grantId}/messages/{messageId}` → `getGrantsMessagesMessageId`-like, unique per operation. */
function operationId(op: Operation): string {
  const words = op.path
    .replace(/^\/v3/, "")
    .split(/[/{}_.-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1));
  return op.method + (words.join("") || "Root");
}
