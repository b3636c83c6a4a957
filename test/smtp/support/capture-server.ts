import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { generateSelfSignedCertificate } from "../../../src/tls/self-signed.ts";

/** What a remote server received. */
export interface Captured {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  /** The session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  helo: string;
  user: string | null;
  at: number;
}

/** A scripted reply: `code` plus text that starts with the enhanced code, e.g. "4.3.0 try later". */
export interface ScriptedReply {
  code: number;
  text: string;
}

/**
 * A local SMTP server standing in for a relay or a remote MX: it records every message, and a
 * test scripts refusals per recipient (at RCPT) or for the next DATA, and a delay per reply.
 */
export interface CaptureServer {
  port: number;
  messages: Captured[];
  /** Replies to RCPT TO for an address, taken in order; when empty, 250. */
  rcptReplies: Map<string, ScriptedReply[]>;
  /** Replies to the next DATA commands, in order; when empty, 250. */
  dataReplies: ScriptedReply[];
  /** Milliseconds to wait before answering each DATA (a slow destination). */
  dataDelayMs: number;
  /** Sessions opened so far. */
  connections: number;
  /** Most sessions open at the same time. */
  peakConcurrent: number;
  waitFor(count: number, ms?: number): Promise<Captured[]>;
  close(): Promise<void>;
}

export async function startCaptureServer(
  opts: {
    auth?: { user: string; pass: string };
    secure?: boolean;
    host?: string;
    port?: number;
    /** A certificate to present instead of a self-signed one (e.g. one a test CA signed). */
    tls?: { certPem: string; keyPem: string };
  } = {},
): Promise<CaptureServer> {
  const { certPem, keyPem } =
    opts.tls ??
    generateSelfSignedCertificate({
      hostnames: ["localhost", "mx.test"],
      ips: ["127.0.0.1"],
    });
  let open = 0;
  const state: Omit<CaptureServer, "port" | "waitFor" | "close"> = {
    messages: [],
    rcptReplies: new Map(),
    dataReplies: [],
    dataDelayMs: 0,
    connections: 0,
    peakConcurrent: 0,
  };
  const refusal = (r: ScriptedReply) => Object.assign(new Error(r.text), { responseCode: r.code });
  const options: SMTPServerOptions = {
    secure: opts.secure ?? false,
    key: keyPem,
    cert: certPem,
    name: "mx.test",
    logger: false,
    disableReverseLookup: true,
    authOptional: !opts.auth,
    ...(opts.auth ? {} : { disabledCommands: ["AUTH"] }),
    size: 100 * 1024 * 1024,
    onConnect(_session, callback) {
      state.connections++;
      open++;
      state.peakConcurrent = Math.max(state.peakConcurrent, open);
      callback();
    },
    onClose() {
      open--;
    },
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        return callback(null, { user: auth.username });
      }
      callback(Object.assign(new Error("5.7.8 bad credentials"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const scripted = state.rcptReplies.get(address.address.toLowerCase())?.shift();
      if (scripted && scripted.code >= 400) return callback(refusal(scripted));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (state.dataDelayMs > 0) await Bun.sleep(state.dataDelayMs);
        const scripted = state.dataReplies.shift();
        if (scripted && scripted.code >= 400) return callback(refusal(scripted));
        state.messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          helo: session.hostNameAppearsAs,
          user: session.user ?? null,
          at: Date.now(),
        });
        callback(null, "2.0.0 captured");
      });
    },
  };
  const server = new SMTPServer(options);
  server.on("error", () => {});
  await new Promise<void>((resolve) =>
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve()),
  );
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const capture: CaptureServer = Object.assign(state, {
    port,
    async waitFor(count: number, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (state.messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`capture server: ${state.messages.length} of ${count} messages after ${ms} ms`);
        }
        await Bun.sleep(10);
      }
      return state.messages;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections) c.close();
        server.close(() => resolve());
      }),
  });
  return capture;
}
