import { isIPv4, isIPv6 } from "node:net";

/**
 * The key a per-address budget (login failures, connections) counts a client under. An IPv4
 * address is itself; an IPv6 address counts by its /64, since one host is routinely given a
 * whole /64 and could otherwise rotate through 2^64 addresses to get a fresh budget each time;
 * an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a dual-stack socket shows an IPv4 client) is
 * its IPv4 address. Anything else (a Unix socket, "unknown") is taken as it is.
 */
export function addressKey(address: string): string {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  const unzoned = bare.replace(/%.*$/, "");
  if (!isIPv6(unzoned)) return address;
  return `${firstFourGroups(unzoned).join(":")}::/64`;
}

/** The first 64 bits of an IPv6 address, as four groups in lower-case hex without leading zeros. */
function firstFourGroups(address: string): string[] {
  // An embedded IPv4 tail (::a.b.c.d) lies in the last 32 bits: past the /64, so it reads as zeros.
  const v6 = address.replace(/(\d+\.\d+\.\d+\.\d+)$/, "0:0");
  const [head = "", tail] = v6.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
}
