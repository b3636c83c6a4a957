/**
 * Self-signed X.509 v3 certificate generation (ECDSA P-256 / SHA-256), with no OpenSSL CLI and no
 * dependency: the TBSCertificate is DER-encoded by hand and signed with node:crypto. Takes ~1 ms.
 *
 * The certificate is an end-entity certificate (basicConstraints CA:FALSE) that is its own issuer, so
 * clients can trust it directly by passing it as their CA file (OpenSSL, Python ssl, curl, Node, Go).
 * It carries subject/authority key identifiers so it also passes OpenSSL's X509_STRICT checks
 * (Python >= 3.13 enables them by default).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";
import {
  boolean,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from "./der.ts";

export interface SelfSignedOptions {
  /** DNS names for the subjectAltName; the first one is also the subject CN. */
  hostnames: string[];
  /** IPv4 / IPv6 literals for the subjectAltName. */
  ips: string[];
  /** Validity in days (default 825, the longest Apple platforms accept for TLS server certificates). */
  days?: number;
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const DAY_MS = 86_400_000;

export function generateSelfSignedCertificate(opts: SelfSignedOptions): { certPem: string; keyPem: string } {
  const dnsNames = [...new Set(opts.hostnames.map(normalizeHostname))];
  const ipBytes = [...new Map(opts.ips.map((ip) => [parseIp(ip).toString("hex"), parseIp(ip)])).values()];
  if (dnsNames.length === 0 && ipBytes.length === 0) {
    throw new Error("generateSelfSignedCertificate: at least one hostname or IP address is required");
  }
  const days = opts.days ?? 825;
  if (!Number.isFinite(days) || days <= 0) throw new Error(`generateSelfSignedCertificate: bad days ${days}`);

  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  // For P-256 the SPKI ends with the 65-byte uncompressed point; its SHA-1 is the RFC 5280 key identifier.
  const keyId = createHash("sha1")
    .update(spki.subarray(spki.length - 65))
    .digest();

  const firstName = dnsNames[0] ?? opts.ips[0] ?? "agentbox";
  const name = sequence(
    set(sequence(oid("2.5.4.10"), utf8String("agentbox self-signed"))),
    set(sequence(oid("2.5.4.3"), utf8String(firstName.length <= 64 ? firstName : "agentbox"))),
  );
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, 16 significant bytes
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000); // tolerate clock skew
  const notAfter = new Date(notBefore.getTime() + Math.round(days * DAY_MS));

  const altNames = [
    ...dnsNames.map((n) => implicitPrimitive(2, Buffer.from(n, "ascii"))),
    ...ipBytes.map((b) => implicitPrimitive(7, b)),
  ];
  const extensions = sequence(
    extension("2.5.29.19", true, sequence()), // basicConstraints: CA:FALSE
    extension("2.5.29.15", true, tlv(0x03, Buffer.from([7, 0x80]))), // keyUsage: digitalSignature
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
    extension("2.5.29.17", false, sequence(...altNames)), // subjectAltName
    extension("2.5.29.14", false, octetString(keyId)), // subjectKeyIdentifier
    extension("2.5.29.35", false, sequence(implicitPrimitive(0, keyId))), // authorityKeyIdentifier
  );

  const signatureAlgorithm = sequence(oid(ECDSA_WITH_SHA256));
  const tbs = sequence(
    explicit(0, smallInteger(2)), // version: v3
    unsignedInteger(serial),
    signatureAlgorithm,
    name, // issuer
    sequence(time(notBefore), time(notAfter)),
    name, // subject
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA-Sig-Value
  const cert = sequence(tbs, signatureAlgorithm, tlv(0x03, Buffer.from([0]), signature));

  return {
    certPem: toPem("CERTIFICATE", cert),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function normalizeHostname(hostname: string): string {
  const trimmed = hostname.trim().replace(/\.$/, "");
  const wildcard = trimmed.startsWith("*.");
  const ascii = domainToASCII(wildcard ? trimmed.slice(2) : trimmed).toLowerCase();
  if (ascii === "" || isIPv4(ascii) || !/^[a-z0-9._-]+$/.test(ascii)) {
    throw new Error(`generateSelfSignedCertificate: invalid hostname ${JSON.stringify(hostname)}`);
  }
  return wildcard ? `*.${ascii}` : ascii;
}

/** IPv4 → 4 bytes, IPv6 (incl. "::" and embedded IPv4) → 16 bytes. */
export function parseIp(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  const addr = ip.replace(/^\[|\]$/g, "");
  if (!isIPv6(addr) || addr.includes("%")) {
    throw new Error(`generateSelfSignedCertificate: invalid IP address ${JSON.stringify(ip)}`);
  }
  const toGroups = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").flatMap((g) => {
      if (!g.includes(".")) return [Number.parseInt(g, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = g.split(".").map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = "", tail] = addr.split("::");
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(g, i * 2);
  return out;
}
