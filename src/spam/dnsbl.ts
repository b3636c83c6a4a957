import { isIPv4, isIPv6 } from "node:net";
import type { DnsResolver } from "../dns/resolver.ts";
import type { SpamSignal } from "./signal.ts";

/** A listing alone marks a message as spam at the default sensitivity. */
const LISTED_SCORE = 6.0;

/**
 * The client's address asked of each DNS block list (through AGENTBOX_DNS_SERVER): an A answer
 * in 127.0.0.0/8 is a listing, except Spamhaus's 127.255.255.x ("query refused") answers. A
 * list that does not answer counts as not listing (spam scoring fails open; rules fail closed).
 */
export async function dnsblListings(
  resolver: DnsResolver,
  ip: string,
  zones: readonly string[],
  onError: (zone: string, err: unknown) => void,
): Promise<SpamSignal[]> {
  const reversed = reverse(ip.replace(/^::ffff:/i, ""));
  if (reversed === null) return [];
  const answers = await Promise.all(
    zones.map(async (zone) => {
      try {
        const listed = (await resolver.a(`${reversed}.${zone}`)).filter(
          (a) => a.startsWith("127.") && !a.startsWith("127.255.255."),
        );
        return listed.length > 0
          ? [{ name: "RBL_LISTED", score: LISTED_SCORE, detail: `${zone}: ${listed.join(",")}` }]
          : [];
      } catch (err) {
        onError(zone, err);
        return [];
      }
    }),
  );
  return answers.flat();
}

/** 192.0.2.1 → 1.2.0.192; IPv6 → its 32 nibbles, reversed. */
function reverse(ip: string): string | null {
  if (isIPv4(ip)) return ip.split(".").reverse().join(".");
  if (!isIPv6(ip)) return null;
  const [head = "", tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups
    .map((g) => g.padStart(4, "0"))
    .join("")
    .split("")
    .reverse()
    .join(".");
}
