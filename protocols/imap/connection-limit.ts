import { addressKey } from "../../src/security/address-key.ts";

/**
 * Connections per client address (an IPv6 one by its /64) and in all, counted from the moment a
 * socket opens (logged in or not): one host opening connections in a loop cannot take every slot
 * or every byte of memory.
 */
export class ConnectionLimit {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerAddress: number,
    private readonly maxTotal: number,
  ) {}

  /** Counts the connection, or returns why it is refused (the text of the greeting's BYE). */
  enter(client: string): string | null {
    const address = addressKey(client);
    if (this.total >= this.maxTotal) {
      return `Too many connections to this server (at most ${this.maxTotal}); try again later`;
    }
    const n = this.perAddress.get(address) ?? 0;
    if (n >= this.maxPerAddress) {
      return `Too many connections from your address (at most ${this.maxPerAddress}); try again later`;
    }
    this.perAddress.set(address, n + 1);
    this.total += 1;
    return null;
  }

  /** A counted connection closed. */
  leave(client: string): void {
    const address = addressKey(client);
    const n = (this.perAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, n);
    this.total = Math.max(0, this.total - 1);
  }
}
