import { inArray } from "drizzle-orm";
import { messages } from "../../store/schema.ts";
import type { Store } from "../../store/store.ts";

/** Each local message's fingerprint (see fingerprintOf), by id. */
export function messageFingerprints(store: Store, ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = store.read
      .select({
        id: messages.id,
        messageIdHeader: messages.messageIdHeader,
        size: messages.size,
        internalDate: messages.internalDate,
      })
      .from(messages)
      .where(inArray(messages.id, ids.slice(i, i + 500)))
      .all();
    for (const r of rows) out.set(r.id, fingerprintOf(r.messageIdHeader, r.size, r.internalDate * 1000));
  }
  return out;
}

/** What identifies a message across a UIDVALIDITY change. */
export function fingerprintOf(
  messageIdHeader: string | null | undefined,
  size: number,
  internalDateMs: number,
): string {
  const id = messageIdHeader?.trim().replace(/^<|>$/g, "");
  return id ? `id:${id}:${size}` : `date:${Math.floor(internalDateMs / 1000)}:${size}`;
}
