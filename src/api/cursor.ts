import { badRequest } from "./errors.ts";

/**
 * Cursors are opaque to clients: base64url JSON of whatever the list needs to resume (and, for
 * filtered lists, the filters themselves, so a page token carries them).
 */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

export function decodeCursor<T extends Record<string, unknown>>(token: string | null): T | null {
  if (!token) return null;
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as T;
  } catch {
    // fall through
  }
  throw badRequest("page_token is not a cursor this server issued");
}
