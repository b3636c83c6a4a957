import { badRequest } from "./errors.ts";
import { isDotSegment } from "./path.ts";

/**
 * Small, explicit validators that name the offending field, so a 400 tells a person exactly
 * what to fix ("settings.email must be a string").
 */
export type Json = Record<string, unknown>;

export function requireObject(value: unknown, path = "request body"): Json {
  if (typeof value === "string" && path === "request body") {
    throw badRequest("request body must be a JSON object sent with Content-Type: application/json");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`${path} must be a JSON object`);
  }
  return value as Json;
}

/** A path parameter as routed (Elysia decodes it once); null when its escape was malformed. */
export function pathParam(value: string | null | undefined, name: string): string {
  if (typeof value !== "string" || value === "")
    throw badRequest(`${name} in the path is not valid URL encoding`);
  if (isDotSegment(value)) throw badRequest(`${name} in the path may not be '.' or '..'`);
  return value;
}

export function rejectUnknown(obj: Json, allowed: readonly string[], prefix = ""): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const names = unknown.map((k) => `${prefix}${k}`).join(", ");
    throw badRequest(
      `unknown field${unknown.length > 1 ? "s" : ""}: ${names} (allowed: ${allowed.join(", ")})`,
    );
  }
}

export function optionalString(obj: Json, key: string, path: string, max = 1024): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw badRequest(`${path} must be a string`);
  if (v.length > max) throw badRequest(`${path} must be at most ${max} characters`);
  return v;
}

export function requiredString(obj: Json, key: string, path: string, max = 1024): string {
  const v = optionalString(obj, key, path, max);
  if (v === undefined || v.trim() === "") throw badRequest(`${path} is required`);
  return v;
}

export function optionalBoolean(obj: Json, key: string, path: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw badRequest(`${path} must be true or false`);
  return v;
}

/** Integer query parameter within bounds; `fallback` when absent. */
export function queryInt(
  params: URLSearchParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = params.get(key);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`query parameter ${key} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function queryEnum<T extends string>(
  params: URLSearchParams,
  key: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = params.get(key);
  if (raw === null || raw === "") return fallback;
  if (!values.includes(raw as T))
    throw badRequest(`query parameter ${key} must be one of: ${values.join(", ")}`);
  return raw as T;
}
