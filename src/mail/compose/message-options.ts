import { ComposeError } from "./errors.ts";
import { isAbsent, isJsonObject, optionalBoolean, optionalString, requireObjectAt } from "./fields.ts";

/**
 * The request fields that do not shape the MIME message: metadata, scheduling, and the Nylas
 * features this server accepts for compatibility but does not act on (tracking, templates).
 */

export interface TrackingOptions {
  opens?: boolean;
  links?: boolean;
  threadReplies?: boolean;
  label?: string;
}

export interface TemplateRef {
  id: string;
  strict?: boolean;
  variables?: Record<string, unknown>;
}

const MAX_METADATA_PAIRS = 50;
const MAX_METADATA_VALUE = 500;

export function parseMetadata(value: unknown): Record<string, string> {
  if (isAbsent(value)) return {};
  if (!isJsonObject(value)) throw new ComposeError("metadata", "metadata must be an object of string values");
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_PAIRS) {
    throw new ComposeError(
      "metadata",
      `metadata may hold at most ${MAX_METADATA_PAIRS} pairs (got ${entries.length})`,
    );
  }
  for (const [key, text] of entries) {
    const path = `metadata.${key}`;
    if (typeof text !== "string") throw new ComposeError(path, `${path} must be a string`);
    if (text.length > MAX_METADATA_VALUE) {
      throw new ComposeError(path, `${path} must be at most ${MAX_METADATA_VALUE} characters`);
    }
  }
  return { ...(value as Record<string, string>) };
}

/** Unix seconds. Whether the time is far enough ahead depends on the clock, so the caller checks. */
export function parseSendAt(value: unknown): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ComposeError("send_at", "send_at must be a Unix timestamp in seconds");
  }
  return value;
}

export function parseTrackingOptions(value: unknown): TrackingOptions | undefined {
  if (isAbsent(value)) return undefined;
  const obj = requireObjectAt(value, "tracking_options", "an object");
  const options: TrackingOptions = {
    opens: optionalBoolean(obj, "opens", "tracking_options.opens"),
    links: optionalBoolean(obj, "links", "tracking_options.links"),
    threadReplies: optionalBoolean(obj, "thread_replies", "tracking_options.thread_replies"),
    label: optionalString(obj, "label", "tracking_options.label", 2048),
  };
  return withoutUndefined(options);
}

export function parseTemplate(value: unknown): TemplateRef | undefined {
  if (isAbsent(value)) return undefined;
  const obj = requireObjectAt(value, "template", "an object with an id");
  const id = optionalString(obj, "id", "template.id", 256);
  if (id === undefined || id === "") throw new ComposeError("template.id", "template.id is required");
  const strict = optionalBoolean(obj, "strict", "template.strict");
  const variables = obj.variables;
  if (!isAbsent(variables) && !isJsonObject(variables)) {
    throw new ComposeError("template.variables", "template.variables must be an object");
  }
  return withoutUndefined({ id, strict, variables: variables ?? undefined });
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
