import dns2 from "dns2";

/**
 * A real authoritative DNS server on 127.0.0.1 (UDP, random port) with a zone tests edit
 * directly. Unknown names get NXDOMAIN; a known name without records of the asked type gets
 * NOERROR with no answers (NODATA).
 */
export interface TestDnsServer {
  port: number;
  /** "127.0.0.1:port", the form AGENTBOX_DNS_SERVER and createResolver() take. */
  address: string;
  /**
   * Replaces the records of one type at `name`; `[]` leaves the name existing without them.
   * A TXT value longer than 255 bytes is split into several character-strings, as real DNS
   * does; pass a string[] to choose the split yourself.
   */
  set(name: string, type: TestRecordType, records: TestRecord[]): void;
  /** Forgets one name, or the whole zone. */
  clear(name?: string): void;
  close(): Promise<void>;
}

export type TestRecordType = "A" | "AAAA" | "MX" | "TXT";
export type TestRecord = string | string[] | { exchange: string; priority: number };

type Zone = Map<string, Map<TestRecordType, TestRecord[]>>;
type Packet = dns2.Packet;
type Resource = dns2.Packet.Resource;

const { Packet } = dns2;
const TTL = 60;
const MAX_CHARACTER_STRING = 255;

export async function startTestDnsServer(): Promise<TestDnsServer> {
  const zone: Zone = new Map();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => void send(respond(zone, request)),
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error("test DNS server did not bind a UDP port");
  return {
    port,
    address: `127.0.0.1:${port}`,
    set(name, type, records) {
      for (const record of records) checkRecord(type, record);
      const key = normalize(name);
      const entry = zone.get(key) ?? new Map();
      entry.set(type, records);
      zone.set(key, entry);
    },
    clear(name) {
      if (name === undefined) zone.clear();
      else zone.delete(normalize(name));
    },
    close: () => server.close(),
  };
}

function respond(zone: Zone, request: Packet): Packet {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  const question = request.questions[0];
  const entry = question && zone.get(normalize(question.name));
  if (!question || !entry) {
    response.header.rcode = question ? Packet.RCODE.NXDOMAIN : Packet.RCODE.FORMERR;
    return response;
  }
  const type = recordTypeOf(question.type);
  const records = (type && entry.get(type)) || [];
  response.answers = records.map((record) =>
    Packet.createResourceFromQuestion(question, { ttl: TTL, ...recordData(record) }),
  );
  return response;
}

function recordTypeOf(code: number): TestRecordType | undefined {
  const types: TestRecordType[] = ["A", "AAAA", "MX", "TXT"];
  return types.find((type) => Packet.TYPE[type] === code);
}

function recordData(record: TestRecord): Partial<Resource> {
  if (Array.isArray(record)) return { data: record };
  if (typeof record === "object") return { exchange: record.exchange, priority: record.priority };
  // A and AAAA read `address`, TXT reads `data`; the other field is ignored by the encoder.
  return { address: record, data: splitCharacterStrings(record) };
}

/** Splits at 255 bytes without cutting a UTF-8 sequence in half. */
function splitCharacterStrings(text: string): string[] {
  const chunks: string[] = [];
  let chunk = "";
  let size = 0;
  for (const char of text) {
    const charSize = Buffer.byteLength(char);
    if (size + charSize > MAX_CHARACTER_STRING) {
      chunks.push(chunk);
      chunk = "";
      size = 0;
    }
    chunk += char;
    size += charSize;
  }
  return [...chunks, chunk];
}

function checkRecord(type: TestRecordType, record: TestRecord): void {
  const isMx = typeof record === "object" && !Array.isArray(record);
  const fits =
    type === "MX" ? isMx : type === "TXT" ? !isMx && txtStringsFit(record) : typeof record === "string";
  if (!fits)
    throw new TypeError(`not a valid ${type} record for the test DNS server: ${JSON.stringify(record)}`);
}

function txtStringsFit(record: string | string[]): boolean {
  return typeof record === "string" || record.every((s) => Buffer.byteLength(s) <= MAX_CHARACTER_STRING);
}

function normalize(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}
