/**
 * The three SMTP listeners on smtp-server: implicit-TLS submission (465), STARTTLS submission
 * (587) and the inbound MX (25). This file only sets them up and tears them down; the protocol
 * work is in submission.ts and mx.ts.
 */
import type { Server as NetServer, Socket } from "node:net";
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import type { SmtpConfig } from "../../src/config/smtp.ts";
import type { Logger } from "../../src/log.ts";
import type { ConnectionRate } from "../../src/security/connection-rate.ts";
import type { InboundDeps } from "../../src/smtp/inbound.ts";
import { GreetedClients, type GreetingOptions, installGreetingHook } from "./greeting.ts";
import {
  type DeadlineOptions,
  deadlineUntilAuth,
  deadlineUntilData,
  installDeadlineHook,
  LoginDeadline,
} from "./login-deadline.ts";
import { mxHandlers } from "./mx.ts";
import { installReplyCodes } from "./replies.ts";
import { ConnectionLimit } from "./session.ts";
import { type SubmissionDeps, submissionHandlers } from "./submission.ts";

export interface SmtpListenerDeps {
  hostname: string;
  host: string;
  ports: { smtps: number; submission: number; mx: number };
  tls: { cert: string; key: string };
  smtp: SmtpConfig;
  maxMessageBytes: number;
  /** New connections per client address (shared with IMAP), refused before any TLS. */
  connectionRate: ConnectionRate;
  log: Logger;
  submission: SubmissionDeps;
  inbound: InboundDeps;
}

export interface SmtpListeners {
  ports: { smtps: number; submission: number; mx: number };
  /** Stops accepting; idle sessions get 421 now, transactions in progress finish (up to `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** A listener that could not bind: which one, its variable and port, and why. */
export class SmtpListenError extends Error {
  constructor(
    readonly what: string,
    readonly variable: string,
    readonly port: number,
    readonly host: string,
    readonly reason: string,
  ) {
    super(`cannot listen for ${what} on ${host}:${port} (${variable}): ${reason}`);
    this.name = "SmtpListenError";
  }
}

interface Listener {
  server: SMTPServer;
  port: number;
  /** Sessions in the middle of a command that must finish (DATA being stored). */
  busy: Set<SMTPServerSession>;
}

export async function startSmtp(deps: SmtpListenerDeps): Promise<SmtpListeners> {
  installReplyCodes();
  installGreetingHook();
  installDeadlineHook();
  const started: Listener[] = [];
  const close = () => Promise.all(started.map((l) => closeListener(l, 0)));
  try {
    const common = commonOptions(deps);
    const submissionLimit = new ConnectionLimit(deps.smtp.maxConnectionsPerIp);
    const loginDeadline = new LoginDeadline(deps.smtp.loginTimeoutMs, "log in");
    const messageDeadline = new LoginDeadline(deps.smtp.loginTimeoutMs, "start a message");
    const smtps = await bind(
      deps,
      "SMTP submission (implicit TLS)",
      "AGENTBOX_SMTPS_PORT",
      deps.ports.smtps,
      (busy): DeadlineOptions => ({
        ...common,
        secure: true,
        authMethods: ["PLAIN", "LOGIN"],
        loginDeadline,
        ...tracked(
          busy,
          deadlineUntilAuth(loginDeadline, submissionHandlers(deps.submission, submissionLimit)),
        ),
      }),
    );
    started.push(smtps);
    const submission = await bind(
      deps,
      "SMTP submission (STARTTLS)",
      "AGENTBOX_SUBMISSION_PORT",
      deps.ports.submission,
      (busy): DeadlineOptions => ({
        ...common,
        secure: false,
        authMethods: ["PLAIN", "LOGIN"],
        loginDeadline,
        ...tracked(
          busy,
          deadlineUntilAuth(loginDeadline, submissionHandlers(deps.submission, submissionLimit)),
        ),
      }),
    );
    started.push(submission);
    const greeted = new GreetedClients();
    const mx = await bind(
      deps,
      "SMTP MX",
      "AGENTBOX_MX_PORT",
      deps.ports.mx,
      (busy): GreetingOptions & DeadlineOptions => ({
        ...common,
        secure: false,
        authOptional: true,
        disabledCommands: ["AUTH"],
        greetAtOnce: (address) => greeted.knows(address),
        loginDeadline: messageDeadline,
        ...tracked(
          busy,
          deadlineUntilData(
            messageDeadline,
            mxHandlers(deps.inbound, new ConnectionLimit(deps.smtp.maxConnectionsPerIp), greeted, deps.smtp),
          ),
        ),
      }),
    );
    started.push(mx);
    return {
      ports: { smtps: smtps.port, submission: submission.port, mx: mx.port },
      async stop(graceMs = 10_000) {
        await Promise.all(started.map((l) => closeListener(l, graceMs)));
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function commonOptions(deps: SmtpListenerDeps): SMTPServerOptions {
  return {
    name: deps.hostname,
    banner: "agentbox",
    key: deps.tls.key,
    cert: deps.tls.cert,
    minVersion: "TLSv1.2",
    size: deps.maxMessageBytes,
    rejectOversized: true,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    socketTimeout: deps.smtp.socketTimeoutMs,
    closeTimeout: 10_000,
    maxClients: deps.smtp.maxConnections,
    logger: false,
  };
}

type Handlers = Pick<SMTPServerOptions, "onData">;

/** Marks a session busy while its DATA is being handled, so shutdown lets it finish. */
function tracked<T extends Handlers>(busy: Set<SMTPServerSession>, handlers: T): T {
  const onData = handlers.onData;
  if (!onData) return handlers;
  return {
    ...handlers,
    onData(stream, session, callback) {
      busy.add(session);
      onData(stream, session, (err, message) => {
        busy.delete(session);
        callback(err, message);
      });
    },
  };
}

function bind(
  deps: SmtpListenerDeps,
  what: string,
  variable: string,
  port: number,
  options: (busy: Set<SMTPServerSession>) => SMTPServerOptions,
): Promise<Listener> {
  const busy = new Set<SMTPServerSession>();
  const opts = options(busy);
  const server = new SMTPServer(opts);
  gateByRate(server, deps.connectionRate, opts.secure === true, deps.hostname);
  return new Promise((resolve, reject) => {
    let binding = true;
    // Before binding, an error is the listener's own (the port is taken); after, it is one
    // connection's (a reset, a failed TLS handshake): logged, never a crash.
    server.on("error", (err: Error & { code?: string }) => {
      if (!binding) {
        deps.log.debug({ err: err.message, listener: what }, "smtp connection error");
        return;
      }
      binding = false;
      const reason = err.code === "EADDRINUSE" ? "address already in use" : err.message;
      reject(new SmtpListenError(what, variable, port, deps.host, reason));
    });
    server.listen(port, deps.host, () => {
      binding = false;
      const address = server.server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : port, busy });
    });
  });
}

async function closeListener(l: Listener, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => l.server.close(() => resolve()));
  for (const connection of l.server.connections) {
    if (!l.busy.has(connection.session)) {
      connection.send(421, "4.3.2 server shutting down");
      connection.close();
    }
  }
  const deadline = Date.now() + graceMs;
  while (l.busy.size > 0 && Date.now() < deadline) await Bun.sleep(10);
  for (const connection of l.server.connections) connection.close();
  await Promise.race([closed, Bun.sleep(1000)]);
}

/**
 * Connections over their address's rate are refused as the socket opens, before smtp-server
 * sees them, after the refusal delay: on implicit TLS closed (no handshake is spent on them), in
 * plain text told `421 4.7.0` first. smtp-server's own listener runs for the others, unchanged.
 */
function gateByRate(server: SMTPServer, rate: ConnectionRate, secure: boolean, hostname: string): void {
  const tcp = (server as unknown as { server: NetServer }).server;
  const listeners = tcp.listeners("connection") as ((socket: Socket) => void)[];
  tcp.removeAllListeners("connection");
  tcp.on("connection", (socket: Socket) => {
    if (rate.admit(socket.remoteAddress ?? "")) {
      for (const listener of listeners) listener.call(tcp, socket);
      return;
    }
    socket.on("error", () => socket.destroy());
    rate.refusals.refuse(() => {
      if (secure) socket.destroy();
      else
        socket.end(`421 4.7.0 ${hostname} too many new connections from your address; try again later\r\n`);
    });
  });
}
