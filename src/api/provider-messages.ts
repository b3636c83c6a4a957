import { ImapSearchSyntaxError, parseImapSearch } from "../connected/imap-search-query.ts";
import { folderSyncStates, providerLocationOf } from "../connected/provider-index.ts";
import { type LiveMessage, queryProvider } from "../connected/provider-query.ts";
import { providerTlsOptions } from "../connected/provider-tls.ts";
import { getMessage, type MessageView } from "../mailbox/messages.ts";
import type { GrantRow } from "../store/schema.ts";
import type { ApiDeps } from "./deps.ts";
import { badRequest } from "./errors.ts";
import { boolParam, listParam, resolveFolderId } from "./message-query.ts";
import { queryInt } from "./validate.ts";

/**
 * On a connected account, `search_query_native` (IMAP SEARCH syntax) and `query_imap=true` are
 * answered by the provider, not the cache: one short-lived connection, UIDs mapped back to the
 * local messages through the provider index, flags as the provider has them now.
 */
export function asksProvider(grant: GrantRow, q: URLSearchParams): boolean {
  return grant.provider === "imap" && (q.has("search_query_native") || boolParam(q, "query_imap") === true);
}

/** GET /messages answered by the provider: newest first, `limit` of them (one page). */
export async function providerMessages(
  deps: ApiDeps,
  grant: GrantRow,
  q: URLSearchParams,
): Promise<MessageView[]> {
  const limit = queryInt(q, "limit", 50, 1, 200);
  const native = q.get("search_query_native");
  const folders = listParam(q, "in")?.map(resolveFolderId);
  if (!native && !folders) throw badRequest("query_imap=true needs `in`: the folder to read at the provider");
  let search: ReturnType<typeof parseImapSearch>;
  try {
    search = native ? parseImapSearch(native) : { all: true };
  } catch (err) {
    if (err instanceof ImapSearchSyntaxError)
      throw badRequest(`search_query_native (IMAP SEARCH syntax): ${err.message}`);
    throw err;
  }
  const live = await queryProvider(queryDeps(deps), grant.id, search, folders);
  const unread = boolParam(q, "unread");
  const starred = boolParam(q, "starred");
  return live
    .filter(
      (m) => (unread === undefined || m.seen === !unread) && (starred === undefined || m.flagged === starred),
    )
    .map((m) => withLiveFlags(getMessage(deps.store, grant.id, m.messageId), m))
    .filter((v): v is MessageView => v !== null)
    .sort((a, b) => b.row.internalDate - a.row.internalDate)
    .slice(0, limit);
}

/** GET /messages/{id}?query_imap=true: the message with its flags at the provider; null when gone there. */
export async function providerMessage(
  deps: ApiDeps,
  grant: GrantRow,
  view: MessageView,
): Promise<MessageView | null> {
  const location = providerLocationOf(deps.store, grant.id, view.row.id);
  if (!location) return view;
  const folder = folderSyncStates(deps.store, grant.id).find((s) => s.folderPath === location.folderPath);
  if (!folder) return view;
  const [live] = await queryProvider(queryDeps(deps), grant.id, { uid: String(location.uid) }, [
    folder.folderId,
  ]);
  return live ? withLiveFlags(view, live) : null;
}

function withLiveFlags(view: MessageView | null, live: LiveMessage): MessageView | null {
  return (
    view && { ...view, row: { ...view.row, seen: live.seen, flagged: live.flagged, answered: live.answered } }
  );
}

function queryDeps(deps: ApiDeps) {
  const { connected } = deps.config;
  return {
    store: deps.store,
    tls: providerTlsOptions(connected.providerCaFile),
    timeouts: { connectMs: connected.connectTimeoutMs, commandMs: connected.commandTimeoutMs },
  };
}
