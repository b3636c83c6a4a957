import { type SQL, sql } from "drizzle-orm";
import { nowSeconds } from "../ids.ts";
import { domains } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Every grant names a domain of this server; a connected IMAP account's address belongs to its
 * provider instead. Its grant names its application's placeholder: a row no listing or look-up
 * shows, under a reserved `.invalid` address (RFC 2606) that no mail is ever addressed to.
 */
const PREFIX = "connected-";

export async function placeholderDomainId(store: Store, applicationId: string): Promise<string> {
  const id = `${PREFIX}${applicationId}`;
  const now = nowSeconds();
  await store.writer.submit((tx) =>
    tx
      .insert(domains)
      .values({
        id,
        applicationId,
        name: "connected IMAP accounts",
        domainAddress: `${id}.invalid`,
        ownershipToken: "",
        dkimSelector: "",
        dkimPrivateKey: "",
        dkimPublicKey: "",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
  );
  return id;
}

/** The condition that leaves placeholders out of a domains query. */
export function notPlaceholder(): SQL {
  return sql`${domains.id} NOT LIKE ${`${PREFIX}%`}`;
}
