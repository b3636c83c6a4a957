/**
 * A tiny IMAP test client over a real TLS socket (in the style of mox's imapserver tests):
 * `transact("a1 SELECT INBOX")` sends a command and returns its untagged lines and the tagged
 * line; literals (and BINARY's literal8s) in responses are inlined into their line. Plus an account fixture on the
 * in-process test server.
 */
import { expect } from "bun:test";
import * as tls from "node:tls";
import { PASSWORD, uniqueEmail } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

export { PASSWORD };

export class ImapClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  greeting = "";

  private constructor(readonly socket: tls.TLSSocket | import("node:net").Socket) {
    this.attach(socket);
  }

  private attach(socket: tls.TLSSocket | import("node:net").Socket): void {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {
      this.closed = true;
      this.wake();
    });
  }

  /** `localAddress` (127.x.y.z) makes the connection come from another client address. */
  static async connect(
    port: number,
    opts: { greeting?: boolean; localAddress?: string } = {},
  ): Promise<ImapClient> {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      rejectUnauthorized: false,
      ...(opts.localAddress && { localAddress: opts.localAddress }),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
    });
    const c = new ImapClient(socket);
    if (opts.greeting !== false) c.greeting = await c.line();
    return c;
  }

  /** A plaintext connection (the STARTTLS listener). */
  static async connectPlain(port: number): Promise<ImapClient> {
    const net = await import("node:net");
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", reject);
    });
    const c = new ImapClient(socket);
    c.greeting = await c.line();
    return c;
  }

  /** Upgrades a plaintext connection after the server's OK to STARTTLS. */
  async startTls(): Promise<void> {
    const raw = this.socket;
    raw.removeAllListeners("data");
    raw.removeAllListeners("close");
    raw.removeAllListeners("error");
    const secure = tls.connect({ socket: raw as import("node:net").Socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", () => resolve());
      secure.once("error", reject);
    });
    (this as { socket: tls.TLSSocket }).socket = secure;
    this.attach(secure);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async waitData(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out; buffered: ${JSON.stringify(this.buf.toString("latin1").slice(0, 500))}`),
          ),
        timeoutMs,
      );
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "utf8") : data);
  }

  /** One response line, literals inlined (CRLF stripped from the end only). */
  async line(timeoutMs = 5000): Promise<string> {
    let out = "";
    for (;;) {
      const lf = this.buf.indexOf(0x0a);
      if (lf < 0) {
        if (this.closed)
          throw new Error(`connection closed; partial: ${JSON.stringify(out + this.buf.toString("latin1"))}`);
        await this.waitData(timeoutMs);
        continue;
      }
      const text = this.buf.subarray(0, lf + 1).toString("latin1");
      this.buf = this.buf.subarray(lf + 1);
      const m = /~?\{(\d+)\}\r\n$/.exec(text);
      if (!m) return out + text.replace(/\r?\n$/, "");
      out += text;
      const n = Number(m[1]);
      while (this.buf.length < n) {
        if (this.closed) throw new Error("connection closed inside a literal");
        await this.waitData(timeoutMs);
      }
      out += this.buf.subarray(0, n).toString("latin1");
      this.buf = this.buf.subarray(n);
    }
  }

  /** True when nothing is buffered and nothing arrives within `ms`. */
  async quiet(ms = 100): Promise<boolean> {
    if (this.buf.length > 0) return false;
    try {
      await this.waitData(ms);
      return this.buf.length === 0;
    } catch {
      return this.buf.length === 0;
    }
  }

  /** Sends a command line (the tag is its first word); returns untagged lines and the tagged line. */
  async transact(command: string, timeoutMs = 10_000): Promise<{ untagged: string[]; tagged: string }> {
    const tag = command.split(" ")[0] as string;
    this.write(`${command}\r\n`);
    return this.until(tag, timeoutMs);
  }

  /** Reads until the tagged response for `tag`. */
  async until(tag: string, timeoutMs = 10_000): Promise<{ untagged: string[]; tagged: string }> {
    const untagged: string[] = [];
    for (;;) {
      const l = await this.line(timeoutMs);
      if (l.startsWith(`${tag} `)) return { untagged, tagged: l };
      untagged.push(l);
    }
  }

  /** transact, insisting on OK; returns the untagged lines. */
  async ok(command: string): Promise<string[]> {
    const r = await this.transact(command);
    expect(r.tagged, `${command}\n${r.untagged.join("\n")}`).toMatch(/^\S+ OK/);
    return r.untagged;
  }

  async login(email: string, password = PASSWORD): Promise<void> {
    await this.ok(`l1 LOGIN ${quote(email)} ${quote(password)}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function quote(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

export interface ImapFixture {
  t: TestServer;
  port: number;
  /** A fresh account with an app password. */
  account(): Promise<{ email: string; grantId: string }>;
  /** A client logged in to `email`. */
  client(email: string): Promise<ImapClient>;
  stop(): Promise<void>;
}

export async function imapFixture(env: Record<string, string> = {}): Promise<ImapFixture> {
  const t = await startTestServer(env);
  const clients: ImapClient[] = [];
  return {
    t,
    port: t.server.ports.imaps,
    async account() {
      const email = uniqueEmail("imap");
      const res = await api(t, "POST", "/v3/connect/custom", {
        provider: "nylas",
        settings: { email, app_password: PASSWORD },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { email, grantId: res.body.data.id as string };
    },
    async client(email: string) {
      const c = await ImapClient.connect(t.server.ports.imaps);
      clients.push(c);
      await c.login(email);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await t.stop();
    },
  };
}

/** A small RFC 5322 message. */
export function message(
  opts: {
    subject?: string;
    from?: string;
    to?: string;
    messageId?: string;
    body?: string;
    date?: string;
  } = {},
): string {
  const id = opts.messageId ?? `<${crypto.randomUUID()}@test.example>`;
  return [
    `From: ${opts.from ?? "Alice Example <alice@example.com>"}`,
    `To: ${opts.to ?? "Bob <bob@example.org>"}`,
    `Subject: ${opts.subject ?? "Hello"}`,
    `Date: ${opts.date ?? "Mon, 02 Jun 2025 10:00:00 +0000"}`,
    `Message-ID: ${id}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    opts.body ?? "Hello there.",
    "",
  ].join("\r\n");
}

/** Stores a message through the actor (what the API and SMTP do); returns its id and UID. */
export async function deliver(
  f: ImapFixture,
  grantId: string,
  raw: string,
  folderId = "inbox",
  flags: Record<string, boolean> = {},
): Promise<{ id: string; uid: number }> {
  const r = await f.t.server.mailboxes.ask(grantId, "append", { folderId, raw: Buffer.from(raw), flags });
  return { id: r.id, uid: r.uid };
}

/** APPEND over IMAP with a synchronizing literal; returns the tagged line. */
export async function imapAppend(
  c: ImapClient,
  tag: string,
  mailbox: string,
  raw: string,
  flags = "",
): Promise<string> {
  const bytes = Buffer.from(raw);
  c.write(`${tag} APPEND ${quote(mailbox)}${flags ? ` (${flags})` : ""} {${bytes.length}}\r\n`);
  const cont = await c.line();
  if (!cont.startsWith("+")) return cont;
  c.write(bytes);
  c.write("\r\n");
  return (await c.until(tag)).tagged;
}
