import { connect as netConnect, type Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

/** One SMTP reply: its code and every line's text (without the code). */
export interface Reply {
  code: number;
  lines: string[];
  text: string;
}

/**
 * A raw SMTP client for talking to the server byte by byte: send exactly what a test wants
 * (pipelined commands, bare LF, garbage) and read each reply.
 */
export class SmtpWire {
  #socket: Socket | TLSSocket;
  #buffer = "";
  #waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: Socket | TLSSocket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  /** `localAddress` (127.x.y.z) makes the connection come from another client address. */
  static async open(
    port: number,
    opts: { tls?: { ca: string }; localAddress?: string } = {},
  ): Promise<SmtpWire> {
    const from = opts.localAddress ? { localAddress: opts.localAddress } : {};
    const socket = opts.tls
      ? tlsConnect({ host: "127.0.0.1", port, ca: opts.tls.ca, servername: "localhost", ...from })
      : netConnect({ host: "127.0.0.1", port, ...from });
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? "secureConnect" : "connect", () => resolve());
      socket.once("error", reject);
    });
    return new SmtpWire(socket);
  }

  #listen(socket: Socket | TLSSocket): void {
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      this.#wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** The next complete reply (or throws after `ms`, or when the server closed without one). */
  async read(ms = 5000): Promise<Reply> {
    const deadline = Date.now() + ms;
    for (;;) {
      const reply = this.#take();
      if (reply) return reply;
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.#buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${ms} ms; buffer: ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #take(): Reply | null {
    const lines: string[] = [];
    let pos = 0;
    for (;;) {
      const nl = this.#buffer.indexOf("\r\n", pos);
      if (nl < 0) return null;
      const line = this.#buffer.slice(pos, nl);
      pos = nl + 2;
      lines.push(line.slice(4));
      if (line[3] !== "-") {
        this.#buffer = this.#buffer.slice(pos);
        return { code: Number(line.slice(0, 3)), lines, text: lines.join("\n") };
      }
    }
  }

  write(data: string | Uint8Array): void {
    this.#socket.write(data);
  }

  /** Sends one command line (CRLF added) and reads its reply. */
  async command(line: string, ms?: number): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.read(ms);
  }

  /** STARTTLS then the TLS handshake, verified against `ca`. */
  async startTls(ca: string): Promise<Reply> {
    const reply = await this.command("STARTTLS");
    if (reply.code !== 220) return reply;
    const plain = this.#socket as Socket;
    plain.removeAllListeners("data");
    const secure = tlsConnect({ socket: plain, ca, servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", () => resolve());
      secure.once("error", reject);
    });
    this.#socket = secure;
    this.#listen(secure);
    return reply;
  }

  /** Waits until the server closes the connection; returns how long that took (ms). */
  async waitClosed(ms = 10_000): Promise<number> {
    const start = Date.now();
    while (!this.closed) {
      if (Date.now() - start > ms) throw new Error(`connection still open after ${ms} ms`);
      await Bun.sleep(20);
    }
    return Date.now() - start;
  }

  /** Whatever the server sent that was not read as a reply. */
  unread(): string {
    return this.#buffer;
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** `AUTH PLAIN` initial response for an email and password. */
export function plainAuth(user: string, pass: string): string {
  return Buffer.from(`\u0000${user}\u0000${pass}`).toString("base64");
}
