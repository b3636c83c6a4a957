/**
 * What a list may hold, by its type: values are trimmed and lower-cased, then checked, so the
 * engine compares normalised strings with normalised strings.
 */
export const LIST_TYPES = ["domain", "tld", "address"] as const;
export type ListType = (typeof LIST_TYPES)[number];

export const MAX_LIST_VALUE = 500;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const LOCAL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

export function normaliseListValue(value: string): string {
  return value.trim().toLowerCase();
}

/** Why `value` (normalised) cannot be in a list of `type`, or null when it can. */
export function listValueProblem(type: ListType, value: string): string | null {
  if (value === "") return "an empty value";
  if (value.length > MAX_LIST_VALUE) return `longer than ${MAX_LIST_VALUE} characters`;
  switch (type) {
    case "tld":
      return TLD.test(value) ? null : "not a top-level domain (like com or org)";
    case "domain":
      return isDomain(value) ? null : "not a domain name (like example.com)";
    case "address": {
      const at = value.lastIndexOf("@");
      const ok = at > 0 && LOCAL.test(value.slice(0, at)) && isDomain(value.slice(at + 1));
      return ok ? null : "not an email address (like someone@example.com)";
    }
  }
}

function isDomain(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split(".");
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l)) && TLD.test(labels[labels.length - 1] as string);
}
