import { badRequest } from "./errors.ts";

/**
 * Cursors are opaque to clients: base64url JSON of whatever the list needs to resume (and, for
 * filtered lists, the filters themselves, so a page token carries them).
 */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

type Shape = Record<string, "string" | "number">;
type Decoded<S extends Shape> = { [K in keyof S]: S[K] extends "string" ? string : number };

/** Decodes a page_token and checks it has exactly the fields (and types) this list issues. */
export function decodeCursor<S extends Shape>(token: string | null, shape: S): Decoded<S> | null {
  if (!token) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    value = null;
  }
  if (
    !value ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    !fits(value as Record<string, unknown>, shape)
  ) {
    throw badRequest("page_token is not a cursor this server issued");
  }
  return value as Decoded<S>;
}

function fits(value: Record<string, unknown>, shape: Shape): boolean {
  return Object.entries(shape).every(([key, type]) =>
    type === "number" ? Number.isSafeInteger(value[key]) : typeof value[key] === "string",
  );
}
