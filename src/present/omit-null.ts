/**
 * Nylas's schemas type these fields without null: a value absent here is an absent field, as
 * Nylas sends it (SDKs generated strictly from the spec reject a null where a string is due).
 */
export function withoutNulls<T extends Record<string, unknown>>(
  object: T,
): { [K in keyof T]: Exclude<T[K], null> | undefined } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> | undefined };
}
