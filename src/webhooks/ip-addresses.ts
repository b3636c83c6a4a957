import { networkInterfaces } from "node:os";

/**
 * The addresses deliveries may come from: this host's interfaces (a self-hosted server sends
 * from wherever it runs; loopback included, since a local receiver sees 127.0.0.1).
 */
export function senderAddresses(): string[] {
  const found = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) found.add(a.address);
  }
  return [...found].sort();
}
