/** RFC 6578 sync-tokens: a URI naming the calendar's change sequence. */
const PREFIX = "http://agentbox.dev/ns/sync/";

export const syncTokenOf = (seq: number) => `${PREFIX}${seq}`;

/** The sequence a token names, or null for a token this server never gave. */
export function seqOfSyncToken(token: string): number | null {
  if (!token.startsWith(PREFIX)) return null;
  const text = token.slice(PREFIX.length);
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
