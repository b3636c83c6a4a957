/**
 * Addresses a webhook of another application must not reach: loopback, private, shared (CGNAT),
 * link-local, unspecified, benchmarking, multicast and reserved ranges, and their IPv6 forms,
 * including an IPv4 address inside IPv6 (mapped `::ffff:7f00:1`, compatible, NAT64, 6to4).
 * Takes the canonical spelling WHATWG URL and DNS produce (`127.1`, `2130706433`, `0x7f000001`
 * and `0177.0.0.1` all become `127.0.0.1` once parsed as a URL).
 */
import { isIPv4, isIPv6 } from "node:net";

/** [first octet, second octet or null, prefix length] for each refused IPv4 range. */
const V4_RANGES: [number, number, number][] = [
  [0, 0, 8], // "this network"
  [10, 0, 8],
  [100, 64, 10], // shared address space (CGNAT)
  [127, 0, 8],
  [169, 254, 16], // link-local (cloud metadata lives here)
  [172, 16, 12],
  [192, 0, 24], // IETF protocol assignments (192.0.0.0/24)
  [192, 168, 16],
  [198, 18, 15], // benchmarking
  [224, 0, 4], // multicast
  [240, 0, 4], // reserved, and 255.255.255.255
];

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(bare)) return isPrivateV4(bare.split(".").map(Number));
  if (isIPv6(bare)) return isPrivateV6(ipv6Groups(bare));
  return true; // not an address: never reachable by accident
}

function isPrivateV4(octets: number[]): boolean {
  const value =
    ((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0);
  return V4_RANGES.some(([a, b, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((value >>> 0) & mask) >>> 0 === ((((a << 24) | (b << 16)) >>> 0) & mask) >>> 0;
  });
}

function isPrivateV6(g: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (hi: number, lo: number) => isPrivateV4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(5) && g5 === 0xffff) return embedded(g6, g7); // ::ffff:a.b.c.d (mapped)
  if (zeroTo(6)) return true; // ::, ::1 and ::a.b.c.d (compatible, deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7);
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  return false;
}

/** Eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail is two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((h) => Number.parseInt(h, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const zeros = new Array(Math.max(0, 8 - front.length - back.length)).fill(0);
  return [...front, ...zeros, ...back];
}
