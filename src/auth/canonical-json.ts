/**
 * Deterministic JSON used by Nylas service-account request signing: object keys sorted (by UTF-16 code
 * unit, like Array#sort), no whitespace, `undefined`/function members dropped from objects and written as
 * `null` elsewhere. Byte-for-byte the output of `canonicalJson` in the `nylas` Node SDK (v8.4.0,
 * models/serviceAccount.js), which is what the SDK signs and sends as the request body.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || typeof value === "function") return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error("Service account signing only supports finite numbers.");
  }
  if (value !== null && typeof value === "object") return canonicalObject(value as Record<string, unknown>);
  return JSON.stringify(value);
}

function canonicalObject(data: Record<string, unknown>): string {
  const members = Object.keys(data)
    .filter((key) => data[key] !== undefined && typeof data[key] !== "function")
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(data[key])}`);
  return `{${members.join(",")}}`;
}
