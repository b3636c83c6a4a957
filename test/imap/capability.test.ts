/**
 * CAPABILITY by state and transport, driving a Session directly with a fake connection: a
 * plaintext connection from another machine gets LOGINDISABLED until STARTTLS.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { COMMANDS } from "../../protocols/imap/commands/index.ts";
import { RecentTracker } from "../../protocols/imap/recent.ts";
import { SessionRegistry } from "../../protocols/imap/registry.ts";
import { type ImapContext, Session } from "../../protocols/imap/session.ts";
import type { SessionIO } from "../../protocols/imap/session-io.ts";
import { PasswordLogins } from "../../src/accounts/password-login.ts";
import { SignOuts } from "../../src/accounts/sign-outs.ts";
import { quietLog } from "../support/store.ts";
import { type ImapFixture, imapFixture, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

function fakeSession(opts: { secure: boolean; loopback: boolean }) {
  const out: string[] = [];
  let tls = opts.secure;
  const io: SessionIO = {
    remoteAddress: "198.51.100.7",
    loopback: opts.loopback,
    secure: () => tls,
    canStartTls: () => !tls,
    startTls: async () => {
      tls = true;
    },
    write: (d) => out.push(typeof d === "string" ? d : Buffer.from(d).toString("latin1")),
    drained: async () => undefined,
    readLine: async () => null,
    close: () => undefined,
    compressed: () => false,
    startCompression: () => undefined,
  };
  const { server } = f.t;
  const ctx: ImapContext = {
    store: server.store,
    mailboxes: server.mailboxes,
    bus: server.bus,
    log: quietLog,
    limits: {
      maxConnectionsPerAccount: 20,
      idleTimeoutMs: 1000,
      autologoutMs: 1000,
      loginTimeoutMs: 1000,
      appendLimit: 1000,
      maxLine: 1000,
    },
    auth: new PasswordLogins(server.store, server.config.logins),
    signOuts: new SignOuts(),
    recent: new RecentTracker(() => 0),
    registry: new SessionRegistry(),
    messageSizeLimit: () => 1000,
    commands: COMMANDS,
  };
  const session = new Session(ctx, io);
  // As Connection.start does: a session the registry does not know cannot log in.
  ctx.registry.add(session);
  const run = async (line: string) => {
    out.length = 0;
    await session.execute({ lines: [Buffer.from(line)], literals: [] });
    return out.join("").trimEnd().split("\r\n");
  };
  return { session, run, out };
}

describe("CAPABILITY", () => {
  test("plaintext from another machine: LOGINDISABLED and STARTTLS; LOGIN is refused until TLS", async () => {
    const { email } = await f.account();
    const { session, run, out } = fakeSession({ secure: false, loopback: false });
    session.greeting();
    expect(out.join("")).toBe(
      "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS LOGINDISABLED] agentbox IMAP4rev1 ready\r\n",
    );
    expect(await run(`a1 LOGIN ${email} ${PASSWORD}`)).toEqual([
      "a1 NO [PRIVACYREQUIRED] Log in only after STARTTLS",
    ]);
    expect(await run("a2 STARTTLS")).toEqual(["a2 OK Begin TLS negotiation now"]);
    expect(await run("a3 CAPABILITY")).toEqual([
      "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN",
      "a3 OK CAPABILITY completed",
    ]);
    expect((await run(`a4 LOGIN ${email} ${PASSWORD}`))[0]).toStartWith("a4 OK [CAPABILITY IMAP4rev1");
    session.dispose();
  });

  test("after login: the full list, advertised only as it really works", async () => {
    const { email } = await f.account();
    const { session, run } = fakeSession({ secure: true, loopback: false });
    await run(`a1 LOGIN ${email} ${PASSWORD}`);
    expect(await run("a2 CAPABILITY")).toEqual([
      "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED LIST-STATUS STATUS=SIZE ESEARCH SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES CONTEXT=SEARCH CONTEXT=SORT APPENDLIMIT=1000 QUOTA QUOTA=RES-STORAGE CONDSTORE QRESYNC BINARY MULTIAPPEND CATENATE URLAUTH URLAUTH=BINARY NOTIFY COMPRESS=DEFLATE",
      "a2 OK CAPABILITY completed",
    ]);
    session.dispose();
  });
});
