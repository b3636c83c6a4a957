import { randomInt } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import { DnsError } from "./dns-error.ts";
import { type DnsServerAddress, formatServerAddress } from "./server-address.ts";
import { encodeQuery, RRTYPE, type RrType } from "./wire-query.ts";
import { type DnsResponse, decodeResponse } from "./wire-response.ts";

export interface UdpQueryOptions {
  timeoutMs: number;
  attempts: number;
}

export const DEFAULT_UDP_QUERY_OPTIONS: UdpQueryOptions = { timeoutMs: 2000, attempts: 2 };

/**
 * Sends one question to one server over UDP and returns its answer, whatever the rcode.
 * Throws ETIMEOUT when no attempt got an answer, and the socket's error code (ECONNREFUSED, ...)
 * when the server is unreachable.
 */
export async function queryServer(
  server: DnsServerAddress,
  name: string,
  type: RrType,
  options: UdpQueryOptions = DEFAULT_UDP_QUERY_OPTIONS,
): Promise<DnsResponse> {
  const socket = createSocket(isIPv6(server.host) ? "udp6" : "udp4");
  try {
    return await exchange(socket, server, name, type, options);
  } finally {
    socket.close();
  }
}

function exchange(
  socket: Socket,
  server: DnsServerAddress,
  name: string,
  type: RrType,
  options: UdpQueryOptions,
): Promise<DnsResponse> {
  const describe = `${type} query for ${name} to DNS server ${formatServerAddress(server)}`;
  const query = encodeQuery(0, name, type); // throws on a bad name before anything is sent
  const sentIds = new Set<number>();
  return new Promise((resolve, reject) => {
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: DnsError) => {
      clearTimeout(timer);
      reject(error);
    };
    const sendAttempt = () => {
      if (attempts++ === options.attempts) {
        const tries = `${options.attempts} attempts of ${options.timeoutMs} ms`;
        return fail(new DnsError("ETIMEOUT", `${describe} timed out (${tries})`));
      }
      const id = randomInt(0, 0x10000);
      sentIds.add(id);
      const packet = Buffer.from(query);
      packet.writeUInt16BE(id, 0);
      socket.send(packet, (error) => error && fail(socketError(error, describe)));
      timer = setTimeout(sendAttempt, options.timeoutMs);
    };
    // A late answer to an earlier attempt is as good as one to the latest.
    socket.on("message", (message: Buffer) => {
      const response = tryDecode(message);
      if (response && sentIds.has(response.id) && isAnswerTo(response, name, type)) {
        clearTimeout(timer);
        resolve(response);
      }
    });
    socket.on("error", (error) => fail(socketError(error, describe)));
    // A connected socket only accepts datagrams from the server, and reports ICMP
    // "port unreachable" as ECONNREFUSED instead of a silent timeout.
    socket.connect(server.port, server.host, sendAttempt);
  });
}

// A datagram that does not decode is ignored like a stray one; the wait goes on.
function tryDecode(message: Buffer): DnsResponse | undefined {
  try {
    return decodeResponse(message);
  } catch {
    return undefined;
  }
}

function isAnswerTo(response: DnsResponse, name: string, type: RrType): boolean {
  const question = response.question;
  return (
    response.isResponse &&
    question !== undefined &&
    question.type === RRTYPE[type] &&
    normalizeName(question.name) === normalizeName(name)
  );
}

function normalizeName(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}

function socketError(error: Error, describe: string): DnsError {
  const code = (error as NodeJS.ErrnoException).code ?? "ECONNREFUSED";
  return new DnsError(code, `${describe} failed: ${code}`);
}
