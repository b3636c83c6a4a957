/**
 * One client connection: bytes in through the Framer, commands run one at a time by the Session,
 * bytes out with backpressure. Timers: before login, an absolute deadline from the moment the
 * connection opened (AGENTBOX_IMAP_LOGIN_TIMEOUT_S: nothing the client sends moves it); after,
 * autologout outside IDLE (AGENTBOX_IMAP_AUTOLOGOUT_S), and IDLE's own limit (handled by the IDLE
 * command through readLine's timeout).
 *
 * Before login the input limits are small: a literal of at most PRE_LOGIN_MAX_LITERAL (a LOGIN's
 * password fits; an APPEND does not, and a synchronizing one is refused without "+"), and little
 * unread input, so an unauthenticated client cannot make the server hold its bytes.
 */
import * as zlib from "node:zlib";
import { Framer, type FramerEvent } from "./framer.ts";
import { type ImapContext, Session } from "./session.ts";
import type { SessionIO } from "./session-io.ts";

/** The socket under a connection: Bun's TLS socket, or node:net/node:tls for STARTTLS. */
export interface Transport {
  readonly remoteAddress: string;
  secure(): boolean;
  /** Queues bytes; false when the kernel buffer is full (wait for onDrain). */
  write(data: Uint8Array): boolean;
  /** Bytes queued in user space, not yet handed to the socket. */
  backlog(): number;
  end(): void;
  /** Drops the connection without flushing what is queued. */
  destroy(): void;
  /** Upgrade to TLS (plaintext listener only); undefined when not possible. */
  startTls?: () => Promise<void>;
}

const LOW_WATER = 256 * 1024;
/** Output a client may leave unread beyond one message literal before it is disconnected. */
const MAX_EXTRA_BACKLOG = 16 * 1024 * 1024;
const MAX_LITERAL_OTHER = 1024 * 1024;
/** Input a client may send after the server closed before the socket is dropped. */
const MAX_INPUT_AFTER_CLOSE = 64 * 1024;
/** The largest literal before login (LOGIN's arguments, ID's values). */
export const PRE_LOGIN_MAX_LITERAL = 8 * 1024;

export class Connection implements SessionIO {
  readonly session: Session;
  private readonly framer: Framer;
  private wake: (() => void) | null = null;
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private autologout: ReturnType<typeof setTimeout> | null = null;
  private tlsStarted = false;
  /** A command is running: autologout waits for it. */
  private busy = false;
  /** COMPRESS=DEFLATE: what we send goes through `deflate`, what we get through `inflate`. */
  private deflate: zlib.DeflateRaw | null = null;
  private inflate: zlib.InflateRaw | null = null;
  private flushQueued = false;
  private unreadAfterClose = 0;

  constructor(
    private readonly transport: Transport,
    private readonly ctx: ImapContext,
    readonly loopback: boolean,
  ) {
    this.session = new Session(ctx, this);
    const session = this.session;
    const { appendLimit, maxLine } = ctx.limits;
    this.framer = new Framer({
      maxLine,
      get maxBuffered() {
        return session.state === "not-authenticated"
          ? PRE_LOGIN_MAX_LITERAL + maxLine * 2
          : appendLimit + maxLine * 4;
      },
      maxLiteral: (command) => {
        if (session.state === "not-authenticated") return PRE_LOGIN_MAX_LITERAL;
        return command === "APPEND" ? session.appendLimit() : Math.min(MAX_LITERAL_OTHER, appendLimit);
      },
    });
  }

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  secure(): boolean {
    return this.transport.secure();
  }

  canStartTls(): boolean {
    return this.transport.startTls !== undefined && !this.tlsStarted && !this.transport.secure();
  }

  async startTls(): Promise<void> {
    if (!this.transport.startTls) throw new Error("STARTTLS is not available on this listener");
    this.tlsStarted = true;
    this.framer.discardPending();
    await this.transport.startTls();
  }

  /** Called once the socket is open: greet, then serve commands until the end. */
  start(): void {
    this.ctx.registry.add(this.session);
    this.session.greeting();
    this.armAutologout();
    this.loop().catch((err) => {
      this.ctx.log.error({ err }, "imap connection failed");
      this.close();
    });
  }

  onData(chunk: Uint8Array): void {
    if (this.closed) {
      // We closed; a client still sending (a refused LITERAL+ streaming on) is dropped, not read.
      this.unreadAfterClose += chunk.length;
      if (this.unreadAfterClose > MAX_INPUT_AFTER_CLOSE) this.transport.destroy();
      return;
    }
    if (this.inflate) {
      this.inflate.write(chunk);
      return;
    }
    this.receive(chunk);
  }

  /** Plain bytes from the client (decompressed, when COMPRESS is on). */
  private receive(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.loggedIn && !this.session.idling) this.autologout?.refresh();
    if (!this.framer.push(chunk)) {
      this.write("* BYE Too much input without reading responses\r\n");
      this.close();
      return;
    }
    this.wakeUp();
  }

  onDrain(): void {
    if (this.backlog() > LOW_WATER) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  onClose(): void {
    this.closed = true;
    this.deflate?.destroy();
    this.inflate?.destroy();
    this.deflate = null;
    this.inflate = null;
    if (this.autologout) clearTimeout(this.autologout);
    this.session.dispose();
    this.wakeUp();
    this.onDrain();
    for (const w of this.drainWaiters) w();
    this.drainWaiters = [];
  }

  write(data: string | Uint8Array): void {
    if (this.closed) return;
    if (this.backlog() > this.ctx.limits.appendLimit + MAX_EXTRA_BACKLOG) {
      // The client stopped reading (pushes pile up while it idles, or it never reads at all).
      this.abort("imap client not reading; closing");
      return;
    }
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    if (!this.deflate) {
      this.transport.write(bytes);
      return;
    }
    this.deflate.write(bytes);
    // Everything written in this turn of the event loop goes out in one sync-flushed block.
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.deflate?.flush(zlib.constants.Z_SYNC_FLUSH);
      });
    }
  }

  private backlog(): number {
    return this.transport.backlog() + (this.deflate?.writableLength ?? 0);
  }

  drained(): Promise<void> {
    if (this.closed || this.backlog() <= LOW_WATER) return Promise.resolve();
    return new Promise((resolve) => {
      // A client that stops reading in the middle of a response is let go after the autologout.
      const timer = setTimeout(() => {
        this.abort("imap client stopped reading; closing");
        resolve();
      }, this.ctx.limits.autologoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  compressed(): boolean {
    return this.deflate !== null;
  }

  startCompression(): void {
    // A small window keeps each connection's deflate state ~40 KB; the client's may be the full 32 KB.
    const deflate = zlib.createDeflateRaw({ windowBits: 12, memLevel: 5 });
    const inflate = zlib.createInflateRaw({ windowBits: 15 });
    const leftover = this.framer.takePending();
    deflate.on("data", (d: Buffer) => this.transport.write(d));
    deflate.on("drain", () => this.onDrain());
    inflate.on("data", (d: Buffer) => this.receive(d));
    const broken = () => {
      this.deflate = null;
      this.inflate = null;
      this.close();
    };
    deflate.on("error", broken);
    inflate.on("error", broken);
    this.deflate = deflate;
    this.inflate = inflate;
    if (leftover.length > 0) inflate.write(leftover);
  }

  /**
   * Drops a client that does not read: what is queued for it is thrown away (a graceful close
   * would wait for the queue to drain, which such a client never lets happen).
   */
  private abort(reason: string): void {
    if (this.closed) return;
    this.ctx.log.info({ address: this.remoteAddress }, reason);
    this.transport.destroy();
    this.onClose();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.autologout) clearTimeout(this.autologout);
    this.session.dispose();
    const deflate = this.deflate;
    if (deflate) {
      this.deflate = null;
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => this.transport.end());
      this.inflate?.destroy();
      this.inflate = null;
    } else {
      this.transport.end();
    }
    this.wakeUp();
  }

  async readLine(timeoutMs?: number): Promise<Buffer | null | "timeout"> {
    const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return null;
      const ev = this.framer.next("line");
      if (ev) {
        if (ev.type === "line") return ev.line;
        this.handleProblem(ev);
        return null;
      }
      const left = deadline === null ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) return "timeout";
      await this.waitForData(left);
    }
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const ev = this.framer.next("command");
      if (!ev) {
        await this.waitForData();
        continue;
      }
      if (ev.type === "continue") {
        this.write("+ Ready for literal data\r\n");
        continue;
      }
      if (ev.type !== "command") {
        if (!this.handleProblem(ev)) return;
        continue;
      }
      this.busy = true;
      const before = this.session.state;
      const keepOpen = await this.session.execute(ev.frame).finally(() => {
        this.busy = false;
      });
      if (!keepOpen) {
        this.close();
        return;
      }
      // Logged in: the autologout from now on (before, the login deadline, which nothing moves).
      if (before === "not-authenticated" && this.loggedIn) this.armAutologout();
      else if (this.loggedIn) this.autologout?.refresh();
    }
  }

  private get loggedIn(): boolean {
    return this.session.state !== "not-authenticated";
  }

  /** Refusals the framer raises; returns false when the connection closes. */
  private handleProblem(ev: FramerEvent): boolean {
    if (ev.type === "overflow") {
      this.write(`${ev.tag} BAD ${ev.reason} (limit ${this.ctx.limits.maxLine} bytes)\r\n`);
      this.write("* BYE Closing: the command could not be read\r\n");
      this.close();
      return false;
    }
    if (ev.type === "literal-too-big") {
      const append = ev.command === "APPEND" && this.loggedIn;
      const what = append
        ? "APPENDLIMIT"
        : this.loggedIn
          ? "the literal limit for this command"
          : "the literal limit before login";
      const refusal = append ? "NO [TOOBIG]" : "BAD";
      this.write(`${ev.tag} ${refusal} Literal of ${ev.size} bytes is over ${what} (${ev.limit})\r\n`);
      if (!ev.sync) {
        // A LITERAL+ literal is already on its way; the stream cannot be resynchronized.
        this.write("* BYE Closing: a non-synchronizing literal over the limit was sent\r\n");
        this.close();
        return false;
      }
      return true;
    }
    return true;
  }

  private waitForData(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      this.wake = () => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      if (timeoutMs !== undefined) timer = setTimeout(() => this.wakeUp(), Math.max(0, timeoutMs));
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }

  private armAutologout(): void {
    if (this.autologout) clearTimeout(this.autologout);
    const { autologoutMs, loginTimeoutMs } = this.ctx.limits;
    const ms = this.loggedIn ? autologoutMs : Math.min(autologoutMs, loginTimeoutMs);
    this.autologout = setTimeout(() => {
      if (this.closed) return;
      if (!this.loggedIn) {
        // Absolute: a command in progress (an AUTHENTICATE waiting for its line) does not move it.
        this.write(`* BYE Not logged in within ${Math.round(ms / 1000)} seconds; closing\r\n`);
        this.close();
        return;
      }
      if (this.session.idling || this.busy) {
        this.autologout?.refresh();
        return;
      }
      this.write("* BYE Autologout: idle for too long\r\n");
      this.close();
    }, ms);
    this.autologout.unref?.();
  }
}
