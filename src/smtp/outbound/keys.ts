import { findDomainByAddress } from "../../domains/domains.ts";
import type { Store } from "../../store/store.ts";
import type { DkimKey } from "./dkim.ts";

/**
 * The DKIM key of a sender's domain (generated at domain registration), remembered for a minute:
 * a burst of mail from one domain reads its key once.
 */
export class DkimKeys {
  readonly #cache = new Map<string, { key: DkimKey | null; expires: number }>();

  constructor(private readonly store: Store) {}

  async forAddress(address: string): Promise<DkimKey | null> {
    const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
    if (!address.includes("@") || !domain) return null;
    const hit = this.#cache.get(domain);
    if (hit && hit.expires > Date.now()) return hit.key;
    const row = await findDomainByAddress(this.store, domain);
    const key =
      row?.dkimPrivateKey && row.dkimSelector
        ? { domain: row.domainAddress, selector: row.dkimSelector, privateKeyPem: row.dkimPrivateKey }
        : null;
    this.#cache.set(domain, { key, expires: Date.now() + 60_000 });
    return key;
  }
}
