import { DnsError } from "./dns-error.ts";

/** The record types agentbox asks for (its own checks plus what mailauth asks for). */
export const RRTYPE = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 } as const;
export type RrType = keyof typeof RRTYPE;

const FLAG_RECURSION_DESIRED = 0x0100;
const CLASS_IN = 1;
const TYPE_OPT = 41;
// Without EDNS a server must truncate answers above 512 bytes; a 2048-bit DKIM key plus an SPF
// record can pass that. 1232 is the DNS Flag Day 2020 recommendation.
const EDNS_UDP_PAYLOAD = 1232;

export function isRrType(value: string): value is RrType {
  return Object.hasOwn(RRTYPE, value);
}

/** A standard recursive query for one name, with an EDNS0 OPT record. */
export function encodeQuery(id: number, name: string, type: RrType): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(FLAG_RECURSION_DESIRED, 2);
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(1, 10); // one additional record: the OPT
  const question = Buffer.alloc(4);
  question.writeUInt16BE(RRTYPE[type], 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), question, encodeOptRecord()]);
}

export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  const labels = trimmed === "" ? [] : trimmed.split(".").map((label) => Buffer.from(label, "utf8"));
  if (labels.some((label) => label.length === 0 || label.length > 63)) {
    throw new DnsError("EBADNAME", `"${name}" is not a valid DNS name`);
  }
  const parts = labels.flatMap((label) => [Buffer.from([label.length]), label]);
  const encoded = Buffer.concat([...parts, Buffer.from([0])]);
  if (encoded.length > 255) throw new DnsError("EBADNAME", `"${name}" is longer than 255 bytes`);
  return encoded;
}

function encodeOptRecord(): Buffer {
  const opt = Buffer.alloc(11); // root name, type, class = payload size, ttl = 0, rdlength = 0
  opt.writeUInt16BE(TYPE_OPT, 1);
  opt.writeUInt16BE(EDNS_UDP_PAYLOAD, 3);
  return opt;
}
