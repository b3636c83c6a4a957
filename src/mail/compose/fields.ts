import { ComposeError } from "./errors.ts";

/**
 * Shape checks shared by the send/draft request parsers. `null` counts as absent throughout:
 * JSON clients write `"cc": null` as often as they leave the key out.
 */
export type Json = Record<string, unknown>;

export function isJsonObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Throws when `text` could break out of the header line it is written into. */
export function requireHeaderSafe(text: string, path: string): string {
  if (hasControlCharacter(text))
    throw new ComposeError(path, `${path} may not contain line breaks or control characters`);
  return text;
}

// CR/LF would end a header line early (header injection); the other controls have no place in one
// either. Tab is allowed: it is ordinary whitespace in a header.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

export function optionalString(obj: Json, key: string, path: string, max: number): string | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== "string") throw new ComposeError(path, `${path} must be a string`);
  if (value.length > max) throw new ComposeError(path, `${path} must be at most ${max} characters`);
  return value;
}

/** A string that ends up in a header: also free of line breaks and control characters. */
export function optionalHeaderText(obj: Json, key: string, path: string, max: number): string | undefined {
  const value = optionalString(obj, key, path, max);
  return value === undefined ? undefined : requireHeaderSafe(value, path);
}

export function optionalBoolean(obj: Json, key: string, path: string): boolean | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== "boolean") throw new ComposeError(path, `${path} must be true or false`);
  return value;
}

export function optionalList(obj: Json, key: string, path: string, shape: string): unknown[] | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) throw new ComposeError(path, `${path} must be a list of ${shape}`);
  return value;
}

export function requireObjectAt(value: unknown, path: string, shape: string): Json {
  if (!isJsonObject(value)) throw new ComposeError(path, `${path} must be ${shape}`);
  return value;
}

export function rejectUnknownKeys(obj: Json, allowed: readonly string[]): void {
  const unknown = Object.keys(obj).filter((key) => !allowed.includes(key));
  const first = unknown[0];
  if (first === undefined) return;
  throw new ComposeError(first, `unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
}
