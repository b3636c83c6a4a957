import { DnsError } from "./dns-error.ts";
import { RRTYPE } from "./wire-query.ts";

export interface MxAnswer {
  exchange: string;
  priority: number;
}
/** A/AAAA/CNAME/PTR/NS: a string; TXT: its character-strings; MX: exchange and priority. */
export type RecordValue = string | string[] | MxAnswer;

export interface AnswerRecord {
  name: string;
  type: number;
  /** undefined for record types this decoder does not read. */
  value: RecordValue | undefined;
}

export interface DnsResponse {
  id: number;
  isResponse: boolean;
  truncated: boolean;
  rcode: number;
  question: { name: string; type: number } | undefined;
  answers: AnswerRecord[];
}

// A pointer chain longer than this can only be a loop.
const MAX_COMPRESSION_JUMPS = 64;

/** Decodes the header, the first question and the answer section; the rest is not needed. */
export function decodeResponse(message: Buffer): DnsResponse {
  const flags = readU16(message, 2);
  const questionCount = readU16(message, 4);
  const answerCount = readU16(message, 6);
  let offset = 12;
  let question: DnsResponse["question"];
  for (let i = 0; i < questionCount; i++) {
    const { name, end } = readName(message, offset);
    question ??= { name, type: readU16(message, end) };
    offset = end + 4;
  }
  const answers: AnswerRecord[] = [];
  for (let i = 0; i < answerCount; i++) {
    const { record, end } = readAnswer(message, offset);
    answers.push(record);
    offset = end;
  }
  return {
    id: readU16(message, 0),
    isResponse: (flags & 0x8000) !== 0,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0x000f,
    question,
    answers,
  };
}

function readAnswer(message: Buffer, offset: number): { record: AnswerRecord; end: number } {
  const { name, end: nameEnd } = readName(message, offset);
  const type = readU16(message, nameEnd);
  const length = readU16(message, nameEnd + 8);
  const start = nameEnd + 10;
  const end = start + length;
  checkBounds(message, start, length);
  return { record: { name, type, value: readValue(message, type, start, end) }, end };
}

function readValue(message: Buffer, type: number, start: number, end: number): RecordValue | undefined {
  switch (type) {
    case RRTYPE.A:
      return end - start === 4 ? [...message.subarray(start, end)].join(".") : malformed("bad A record");
    case RRTYPE.AAAA:
      return end - start === 16 ? formatIpv6(message.subarray(start, end)) : malformed("bad AAAA record");
    case RRTYPE.MX:
      return { priority: readU16(message, start), exchange: readName(message, start + 2).name };
    case RRTYPE.TXT:
      return readCharacterStrings(message.subarray(start, end));
    case RRTYPE.CNAME:
    case RRTYPE.PTR:
    case RRTYPE.NS:
      return readName(message, start).name;
    default:
      return undefined;
  }
}

function readCharacterStrings(rdata: Buffer): string[] {
  const strings: string[] = [];
  let offset = 0;
  while (offset < rdata.length) {
    const length = readU8(rdata, offset);
    checkBounds(rdata, offset + 1, length);
    strings.push(rdata.toString("utf8", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  return strings;
}

/** Reads a possibly compressed name (RFC 1035 4.1.4); `end` is where the record continues. */
function readName(message: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let offset = start;
  let end: number | undefined;
  for (let jumps = 0; ; ) {
    const length = readU8(message, offset);
    if (length === 0) return { name: labels.join("."), end: end ?? offset + 1 };
    if ((length & 0xc0) === 0xc0) {
      if (++jumps > MAX_COMPRESSION_JUMPS) malformed("name compression loop");
      end ??= offset + 2;
      offset = ((length & 0x3f) << 8) | readU8(message, offset + 1);
    } else if ((length & 0xc0) === 0) {
      checkBounds(message, offset + 1, length);
      labels.push(message.toString("utf8", offset + 1, offset + 1 + length));
      offset += 1 + length;
    } else {
      malformed("unknown label type");
    }
  }
}

/** RFC 5952 text form, the one node:dns returns: lower case, longest zero run as "::". */
function formatIpv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  const run = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (run.length < 2) return hex.join(":");
  return `${hex.slice(0, run.start).join(":")}::${hex.slice(run.start + run.length).join(":")}`;
}

function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = 0;
  groups.forEach((group, i) => {
    if (group !== 0) start = i + 1;
    else if (i + 1 - start > best.length) best = { start, length: i + 1 - start };
  });
  return best;
}

function readU8(buffer: Buffer, offset: number): number {
  checkBounds(buffer, offset, 1);
  return buffer.readUInt8(offset);
}

function readU16(buffer: Buffer, offset: number): number {
  checkBounds(buffer, offset, 2);
  return buffer.readUInt16BE(offset);
}

function checkBounds(buffer: Buffer, offset: number, length: number): void {
  if (offset + length > buffer.length) malformed("message ends early");
}

function malformed(reason: string): never {
  throw new DnsError("EBADRESP", `malformed DNS response: ${reason}`);
}
