/**
 * The IMAP listeners: implicit TLS with Bun.listen (AGENTBOX_IMAPS_PORT), and optionally a
 * plaintext listener offering STARTTLS (AGENTBOX_IMAP_PORT; node:net + node:tls, which can
 * upgrade a server-side socket in place).
 */
import * as net from "node:net";
import * as tls from "node:tls";
import type { Socket, TCPSocketListener } from "bun";
import type { ChangeBus } from "../../actors/bus.ts";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import { messageSizeLimit } from "../../src/accounts/governed-limits.ts";
import type { PasswordLogins } from "../../src/accounts/password-login.ts";
import type { SignOuts } from "../../src/accounts/sign-outs.ts";
import type { Config } from "../../src/config/config.ts";
import type { Guardrails } from "../../src/guardrails/governance.ts";
import type { Logger } from "../../src/log.ts";
import { highestUidStoredBefore } from "../../src/mailbox/imap-messages.ts";
import type { ConnectionRate } from "../../src/security/connection-rate.ts";
import type { Store } from "../../src/store/store.ts";
import { COMMANDS } from "./commands/index.ts";
import { Connection, type Transport } from "./connection.ts";
import { ConnectionLimit } from "./connection-limit.ts";
import { RecentTracker } from "./recent.ts";
import { SessionRegistry } from "./registry.ts";
import type { ImapContext } from "./session.ts";

export interface ImapServerDeps {
  config: Config;
  store: Store;
  mailboxes: Mailboxes;
  bus: ChangeBus;
  log: Logger;
  tls: { cert: string; key: string };
  /** App-password logins, shared with SMTP submission. */
  logins: PasswordLogins;
  /** Rotated app passwords and deleted accounts, announced by the API. */
  signOuts: SignOuts;
  /** Each account's policy: its message-size limit is its APPENDLIMIT. */
  guardrails: Guardrails;
  /** New connections per client address (shared with SMTP), refused before any TLS. */
  connectionRate: ConnectionRate;
}

export interface ImapServer {
  ports: { imaps: number; imap: number | null };
  context: ImapContext;
  /** Says BYE to every session and stops listening. */
  stop(): Promise<void>;
}

/** How long a connection we closed may take to read what is queued for it before it is dropped. */
const CLOSE_GRACE_MS = 5_000;

/** The longest command line without its literals. */
export const MAX_LINE = 64 * 1024;

/** null for a connection refused by the connection limit (it only gets a BYE). */
type SocketData = {
  conn: Connection;
  transport: BunTransport;
} | null;

export async function startImap(deps: ImapServerDeps): Promise<ImapServer> {
  const { config, log } = deps;
  const startedAt = Math.floor(Date.now() / 1000);
  const ctx: ImapContext = {
    store: deps.store,
    mailboxes: deps.mailboxes,
    bus: deps.bus,
    log,
    limits: {
      maxConnectionsPerAccount: config.limits.imapMaxConnections,
      idleTimeoutMs: config.limits.imapIdleTimeoutS * 1000,
      autologoutMs: config.limits.imapAutologoutS * 1000,
      loginTimeoutMs: config.limits.imapLoginTimeoutS * 1000,
      appendLimit: config.limits.maxMessageBytes,
      maxLine: MAX_LINE,
    },
    auth: deps.logins,
    signOuts: deps.signOuts,
    recent: new RecentTracker((grantId, folderId) =>
      highestUidStoredBefore(deps.store, grantId, folderId, startedAt),
    ),
    registry: new SessionRegistry(),
    messageSizeLimit: (grantId) =>
      messageSizeLimit(deps.store, deps.guardrails, grantId, config.limits.maxMessageBytes),
    commands: COMMANDS,
  };
  /** Open connections and the address each was counted under. */
  const connections = new Map<Connection, string>();
  const limit = new ConnectionLimit(
    config.limits.imapMaxConnectionsPerIp,
    config.limits.imapMaxConnectionsTotal,
  );
  /** A connection over the limit is told why in place of the greeting (RFC 3501 §7.1.5). */
  const refusal = (why: string) => `* BYE [UNAVAILABLE] ${why}\r\n`;
  const closed = (conn: Connection) => {
    const address = connections.get(conn);
    if (address !== undefined && connections.delete(conn)) limit.leave(address);
  };

  let listener: TCPSocketListener<SocketData>;
  try {
    listener = listenTls();
  } catch (err) {
    throw Object.assign(err as Error, { variable: "AGENTBOX_IMAPS_PORT", port: config.ports.imaps });
  }
  function listenTls(): TCPSocketListener<SocketData> {
    return Bun.listen<SocketData>({
      hostname: config.host,
      port: config.ports.imaps,
      tls: { cert: deps.tls.cert, key: deps.tls.key },
      socket: {
        open(socket) {
          socket.data = null;
          // Over its rate: held silent a while, then closed (a reconnect loop waits for it).
          if (!deps.connectionRate.admit(socket.remoteAddress)) {
            deps.connectionRate.refusals.refuse(() => socket.terminate());
            return;
          }
          const refused = limit.enter(socket.remoteAddress);
          if (refused) {
            socket.end(refusal(refused));
            return;
          }
          const transport = new BunTransport(socket);
          const conn = new Connection(transport, ctx, isLoopback(socket.remoteAddress));
          socket.data = { conn, transport };
          connections.set(conn, socket.remoteAddress);
          conn.start();
        },
        data(socket, chunk) {
          socket.data?.conn.onData(chunk);
        },
        drain(socket) {
          socket.data?.transport.flush();
          socket.data?.conn.onDrain();
        },
        close(socket) {
          if (!socket.data) return;
          socket.data.transport.closed();
          closed(socket.data.conn);
          socket.data.conn.onClose();
        },
        error(socket, err) {
          log.debug({ err: err.message }, "imap socket error");
          if (!socket.data) return;
          socket.data.transport.closed();
          closed(socket.data.conn);
          socket.data.conn.onClose();
        },
      },
    });
  }

  let plain: net.Server | null = null;
  if (config.ports.imap !== null) {
    const secureContext = tls.createSecureContext({ cert: deps.tls.cert, key: deps.tls.key });
    plain = net.createServer((socket) => {
      if (!deps.connectionRate.admit(socket.remoteAddress ?? "")) {
        socket.on("error", () => socket.destroy());
        deps.connectionRate.refusals.refuse(() =>
          socket.end(refusal("Too many new connections from your address; try again later")),
        );
        return;
      }
      const refused = limit.enter(socket.remoteAddress ?? "");
      if (refused) {
        socket.on("error", () => socket.destroy());
        socket.end(refusal(refused));
        return;
      }
      const transport = new NodeTransport(socket, secureContext);
      const conn = new Connection(transport, ctx, isLoopback(socket.remoteAddress ?? ""));
      transport.attach(conn);
      connections.set(conn, socket.remoteAddress ?? "");
      socket.on("close", () => closed(conn));
      conn.start();
    });
    const server = plain;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) => {
        listener.stop(true);
        reject(Object.assign(err, { variable: "AGENTBOX_IMAP_PORT", port: config.ports.imap }));
      });
      server.listen(config.ports.imap ?? 0, config.host, () => resolve());
    });
  }

  return {
    ports: {
      imaps: listener.port,
      imap: plain ? (plain.address() as net.AddressInfo).port : null,
    },
    context: ctx,
    async stop() {
      listener.stop(false);
      plain?.close();
      for (const conn of connections.keys()) {
        conn.write("* BYE Server shutting down\r\n");
        conn.close();
      }
      connections.clear();
    },
  };
}

export function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Bun's socket writes what the kernel takes now; the rest waits here for `drain`. */
class BunTransport implements Transport {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private ending = false;
  private lingering: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: Socket<SocketData>) {}

  get remoteAddress(): string {
    return this.socket.remoteAddress;
  }

  secure(): boolean {
    return true;
  }

  write(data: Uint8Array): boolean {
    if (this.queue.length === 0) {
      const n = this.socket.write(data);
      if (n >= data.length) return true;
      if (n < 0) return false;
      data = data.subarray(n);
    }
    this.queue.push(data);
    this.queued += data.length;
    return false;
  }

  flush(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Uint8Array;
      const n = this.socket.write(head);
      if (n <= 0) return;
      this.queued -= n;
      if (n < head.length) {
        this.queue[0] = head.subarray(n);
        return;
      }
      this.queue.shift();
    }
    if (this.ending) this.socket.end();
  }

  backlog(): number {
    return this.queued;
  }

  end(): void {
    this.ending = true;
    // The client gets a few seconds to take what is queued for it and close; then the socket is
    // dropped (what it sends meanwhile is not read: connection.ts drops it past 64 KiB).
    this.lingering ??= setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    this.lingering.unref?.();
    if (this.queue.length === 0) this.socket.end();
  }

  destroy(): void {
    this.queue = [];
    this.queued = 0;
    this.socket.terminate();
  }

  /** The socket closed. */
  closed(): void {
    if (this.lingering) clearTimeout(this.lingering);
  }
}

/** node:net socket of the plaintext listener, upgraded in place by STARTTLS. */
class NodeTransport implements Transport {
  private socket: net.Socket;
  private tlsOn = false;
  private conn: Connection | null = null;
  private readonly onData = (chunk: Buffer) => this.conn?.onData(chunk);
  private readonly onDrain = () => this.conn?.onDrain();
  private readonly onClose = () => this.conn?.onClose();

  constructor(
    socket: net.Socket,
    private readonly secureContext: tls.SecureContext,
  ) {
    this.socket = socket;
  }

  readonly remoteAddress = "";

  attach(conn: Connection): void {
    this.conn = conn;
    (this as { remoteAddress: string }).remoteAddress = this.socket.remoteAddress ?? "";
    this.listen(this.socket);
  }

  private listen(socket: net.Socket): void {
    socket.on("data", this.onData);
    socket.on("drain", this.onDrain);
    socket.on("close", this.onClose);
    socket.on("error", () => socket.destroy());
  }

  secure(): boolean {
    return this.tlsOn;
  }

  write(data: Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(data);
  }

  backlog(): number {
    return this.socket.writableLength;
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  startTls = async (): Promise<void> => {
    const raw = this.socket;
    raw.off("data", this.onData);
    raw.off("drain", this.onDrain);
    raw.off("close", this.onClose);
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: this.secureContext });
    this.socket = secure;
    this.tlsOn = true;
    this.listen(secure);
    await new Promise<void>((resolve) => {
      secure.once("secure", () => resolve());
      secure.once("error", () => resolve());
      secure.once("close", () => resolve());
    });
  };
}
