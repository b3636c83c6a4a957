import { SYSTEM_FOLDERS } from "../domain/system-folders.ts";
import { toFtsMatch } from "../mail/search/fts.ts";
import { parseSearch, SearchSyntaxError } from "../mail/search/parse.ts";
import type { MessageFilter } from "../mailbox/message-filter.ts";
import { badRequest } from "./errors.ts";

/** Query parameters that are not filters (everything else is carried in the cursor). */
const PAGING = new Set(["limit", "page_token", "select", "fields", "timeout", "since"]);
const SYSTEM_IDS = new Map<string, string>(
  SYSTEM_FOLDERS.flatMap((f) => [
    [f.id, f.id],
    [f.name.toLowerCase(), f.id],
  ]),
);

/** A folder id as given, or a system folder named by its IMAP name in any case ("INBOX"). */
export function resolveFolderId(id: string): string {
  return SYSTEM_IDS.get(id.toLowerCase()) ?? id;
}

/** Repeated keys (`to=a&to=b`, what the SDK sends) and comma-joined values are both accepted. */
export function listParam(q: URLSearchParams, key: string): string[] | undefined {
  const values = q
    .getAll(key)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length > 0 ? values : undefined;
}

export function boolParam(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw badRequest(`query parameter ${key} must be true or false`);
}

export function secondsParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw badRequest(`query parameter ${key} must be a Unix timestamp in seconds`);
  return n;
}

/** The filters of a message (or thread) list request, validated. */
export function parseMessageFilter(q: URLSearchParams): MessageFilter {
  const f: MessageFilter = {};
  const subject = q.get("subject");
  if (subject) f.subject = subject;
  const anyEmail = listParam(q, "any_email");
  if (anyEmail) {
    if (anyEmail.length > 25) throw badRequest("any_email accepts at most 25 addresses");
    f.anyEmail = anyEmail;
  }
  for (const key of ["to", "from", "cc", "bcc"] as const) {
    const v = listParam(q, key);
    if (v) f[key] = v;
  }
  const folders = listParam(q, "in");
  if (folders) f.in = folders.map(resolveFolderId);
  const flags = {
    unread: boolParam(q, "unread"),
    starred: boolParam(q, "starred"),
    hasAttachment: boolParam(q, "has_attachment"),
  };
  if (flags.unread !== undefined) f.unread = flags.unread;
  if (flags.starred !== undefined) f.starred = flags.starred;
  if (flags.hasAttachment !== undefined) f.hasAttachment = flags.hasAttachment;
  const threadId = q.get("thread_id");
  if (threadId) f.threadId = threadId;
  const before = secondsParam(q, "received_before") ?? secondsParam(q, "latest_message_before");
  const after = secondsParam(q, "received_after") ?? secondsParam(q, "latest_message_after");
  if (before !== undefined) f.receivedBefore = before;
  if (after !== undefined) f.receivedAfter = after;
  const pair = q.get("metadata_pair");
  if (pair) f.metadataPair = parseMetadataPair(pair);
  const search = q.get("search_query_native");
  if (search) f.ftsMatch = compileSearch(search);
  return f;
}

function parseMetadataPair(pair: string): { key: string; value: string } {
  const at = pair.indexOf(":");
  if (at <= 0) throw badRequest("metadata_pair must look like key:value");
  return { key: pair.slice(0, at), value: pair.slice(at + 1) };
}

function compileSearch(query: string): string {
  try {
    return toFtsMatch(parseSearch(query));
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw badRequest(`search_query_native: ${err.message}`);
    throw err;
  }
}

/** The filter part of a query string, for carrying in a cursor. */
export function filterQuery(q: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const [k, v] of q) if (!PAGING.has(k)) kept.append(k, v);
  return kept.toString();
}

/** `select=id,subject`: keep only those top-level fields. */
export function selectFields(
  q: URLSearchParams,
): ((o: Record<string, unknown>) => Record<string, unknown>) | null {
  const fields = listParam(q, "select");
  if (!fields) return null;
  return (o) => Object.fromEntries(fields.filter((k) => k in o).map((k) => [k, o[k]]));
}
