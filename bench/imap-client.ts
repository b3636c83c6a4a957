/** The benchmarks' IMAP client. */
import * as tls from "node:tls";

/** A lean IMAP client: a latin1 buffer, lines with literals inlined, tagged completions. */
export class Client {
  private buf = "";
  private wake: (() => void) | null = null;
  private serial = 0;
  closed = false;
  /** The view of the selected mailbox, kept from EXISTS / EXPUNGE / VANISHED. */
  exists = 0;
  bad: string[] = [];

  private constructor(private readonly socket: tls.TLSSocket) {
    socket.on("data", (d: Buffer) => {
      this.buf += d.toString("latin1");
      this.wake?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on("error", () => undefined);
  }

  static async open(port: number): Promise<Client> {
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
    });
    const c = new Client(socket);
    await c.line();
    return c;
  }

  private async more(): Promise<void> {
    if (this.closed) throw new Error(`connection closed: ${this.buf.slice(0, 200)}`);
    await new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }

  /** One response line with its literals. */
  async line(): Promise<string> {
    let start = 0;
    for (;;) {
      const lf = this.buf.indexOf("\n", start);
      if (lf < 0) {
        await this.more();
        continue;
      }
      const m = /\{(\d+)\}\r$/.exec(this.buf.slice(Math.max(start, lf - 14), lf));
      if (!m) {
        const out = this.buf.slice(0, lf + 1);
        this.buf = this.buf.slice(lf + 1);
        return out.replace(/\r?\n$/, "");
      }
      const need = lf + 1 + Number(m[1]);
      while (this.buf.length < need) await this.more();
      start = need;
    }
  }

  write(text: string | Uint8Array): void {
    this.socket.write(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  }

  /** Sends a command; resolves with its untagged lines when the tagged line arrives. */
  async run(command: string, expectOk = true): Promise<string[]> {
    const tag = `t${++this.serial}`;
    this.write(`${tag} ${command}\r\n`);
    return this.until(tag, expectOk, command);
  }

  async until(tag: string, expectOk: boolean, what: string): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line();
      this.track(l);
      if (l.startsWith(`${tag} `)) {
        if (expectOk && !l.startsWith(`${tag} OK`)) this.bad.push(`${what} → ${l}`);
        return lines;
      }
      lines.push(l);
    }
  }

  private track(l: string): void {
    const exists = /^\* (\d+) EXISTS/.exec(l);
    const vanished = /^\* VANISHED (\S+)$/.exec(l);
    if (exists) this.exists = Number(exists[1]);
    else if (/^\* \d+ EXPUNGE/.test(l)) this.exists -= 1;
    else if (vanished) {
      for (const part of (vanished[1] as string).split(",")) {
        const [a, b] = part.split(":").map(Number);
        this.exists -= b === undefined ? 1 : Math.abs((b as number) - (a as number)) + 1;
      }
    } else if (l.startsWith("* BAD") || l.startsWith("* BYE")) this.bad.push(l);
  }

  /** Fast path for huge responses: wait for the tagged line without splitting lines. */
  async runBulk(command: string): Promise<number> {
    const tag = `t${++this.serial}`;
    this.write(`${tag} ${command}\r\n`);
    const marker = `\r\n${tag} `;
    let from = 0;
    for (;;) {
      const i = this.buf.indexOf(marker, from);
      from = Math.max(0, this.buf.length - marker.length);
      if (i >= 0) {
        const end = this.buf.indexOf("\n", i + 2);
        if (end >= 0) {
          const size = end + 1;
          const tagged = this.buf.slice(i + 2, end);
          this.buf = this.buf.slice(end + 1);
          if (!tagged.startsWith(`${tag} OK`)) this.bad.push(`${command} → ${tagged}`);
          return size;
        }
      }
      await this.more();
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
