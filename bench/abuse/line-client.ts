/**
 * A raw line client for the abuse scenarios: TLS or plain TCP to 127.0.0.1, optionally from
 * another loopback source address (127.x.y.z) so that per-address limits can be told apart, bytes
 * in as written, lines out as they come. No protocol knowledge beyond CRLF.
 */
import * as net from "node:net";
import * as tls from "node:tls";

export interface LineClientOptions {
  tls: boolean;
  /** Source address on loopback (127.0.0.2, …); the server sees it as the client's address. */
  from?: string;
  /** Give up connecting after this long. */
  connectTimeoutMs?: number;
  /** Verify the server's certificate against this PEM (servername "localhost"); unchecked without. */
  ca?: string;
}

export class LineClient {
  private buf = "";
  private waiters: (() => void)[] = [];
  closed = false;
  /** When the server closed (or the socket failed), ms since the epoch. */
  closedAt = 0;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => {
      this.buf += d;
      this.wake();
    });
    const end = () => {
      if (!this.closed) this.closedAt = Date.now();
      this.closed = true;
      this.wake();
    };
    socket.on("close", end);
    socket.on("error", end);
  }

  static connect(port: number, opts: LineClientOptions): Promise<LineClient> {
    const base = { host: "127.0.0.1", port, ...(opts.from && { localAddress: opts.from }) };
    const verify = opts.ca ? { ca: opts.ca, servername: "localhost" } : { rejectUnauthorized: false };
    const socket = opts.tls ? tls.connect({ ...base, ...verify }) : net.connect(base);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("connect timed out"));
      }, opts.connectTimeoutMs ?? 10_000);
      socket.once(opts.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        resolve(new LineClient(socket));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Writes bytes; false once the socket cannot take more (closed, or its buffer is full). */
  write(data: string | Uint8Array): boolean {
    if (this.closed || this.socket.destroyed) return false;
    return this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** The next line (without CRLF), or null when the connection closed or `timeoutMs` passed. */
  async line(timeoutMs = 10_000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lf = this.buf.indexOf("\n");
      if (lf >= 0) {
        const line = this.buf.slice(0, lf).replace(/\r$/, "");
        this.buf = this.buf.slice(lf + 1);
        return line;
      }
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lines until one starting with `prefix` (included); null if the connection ended first. */
  async until(prefix: string, timeoutMs = 10_000): Promise<string[] | null> {
    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.line(Math.max(0, deadline - Date.now()));
      if (line === null) return null;
      lines.push(line);
      if (line.startsWith(prefix)) return lines;
    }
  }

  /** Resolves once the server has closed the connection, or after `timeoutMs` (false). */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** An SMTP reply: its code and last line (multi-line replies read to their end). */
export async function smtpReply(c: LineClient, timeoutMs = 10_000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await c.line(Math.max(0, deadline - Date.now()));
    if (line === null) return null;
    if (/^\d{3} /.test(line) || !/^\d{3}-/.test(line)) return line;
  }
}

export const plainAuth = (user: string, pass: string) =>
  Buffer.from(`\u0000${user}\u0000${pass}`).toString("base64");

export const imapQuote = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;
