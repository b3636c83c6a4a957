import { isIPv6 } from "node:net";

export interface DnsServerAddress {
  host: string;
  port: number;
}

const DNS_PORT = 53;

/** Accepts "host", "host:port", a bare IPv6 address or "[v6]:port" (the forms node:dns uses). */
export function parseServerAddress(spec: string): DnsServerAddress {
  const trimmed = spec.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1] ?? "", port: parsePort(bracketed[2], spec) };
  if (isIPv6(trimmed)) return { host: trimmed, port: DNS_PORT };
  const [host = "", port, extra] = trimmed.split(":");
  if (host === "" || extra !== undefined) throw new Error(`invalid DNS server "${spec}", expected host:port`);
  return { host, port: parsePort(port, spec) };
}

export function formatServerAddress({ host, port }: DnsServerAddress): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function parsePort(port: string | undefined, spec: string): number {
  if (port === undefined) return DNS_PORT;
  const value = Number(port);
  if (!/^\d+$/.test(port) || value < 1 || value > 65535) {
    throw new Error(`invalid port in DNS server "${spec}"`);
  }
  return value;
}
