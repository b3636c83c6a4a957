/** The optional plaintext listener (AGENTBOX_IMAP_PORT): STARTTLS, and LOGINDISABLED before it. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapClient, type ImapFixture, imapFixture, PASSWORD } from "./harness.ts";

let f: ImapFixture;
let plainPort: number;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_IMAP_PORT: "0" });
  plainPort = f.t.server.ports.imap as number;
});
afterAll(() => f.stop());

describe("STARTTLS", () => {
  test("the plaintext listener offers STARTTLS; LOGIN works after it", async () => {
    const { email } = await f.account();
    const c = await ImapClient.connectPlain(plainPort);
    // From loopback, login is allowed even before TLS (LOGINDISABLED applies to remote clients).
    expect(c.greeting).toBe(
      "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN] agentbox IMAP4rev1 ready",
    );
    expect((await c.transact("a1 STARTTLS")).tagged).toBe("a1 OK Begin TLS negotiation now");
    await c.startTls();
    expect((await c.transact("a2 CAPABILITY")).untagged).toEqual([
      "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN",
    ]);
    expect((await c.transact("a3 STARTTLS")).tagged).toBe("a3 BAD TLS is already active");
    expect((await c.transact(`a4 LOGIN ${email} ${PASSWORD}`)).tagged).toStartWith("a4 OK");
    expect((await c.transact("a5 SELECT INBOX")).tagged).toBe("a5 OK [READ-WRITE] SELECT completed");
    c.close();
  });

  test("commands pipelined after STARTTLS in plaintext are discarded", async () => {
    const c = await ImapClient.connectPlain(plainPort);
    c.write("a1 STARTTLS\r\na2 LOGOUT\r\n");
    expect(await c.line()).toBe("a1 OK Begin TLS negotiation now");
    await c.startTls();
    expect((await c.transact("a3 NOOP")).tagged).toBe("a3 OK NOOP completed");
    c.close();
  });

  test("the implicit-TLS listener does not offer STARTTLS", async () => {
    const c = await ImapClient.connect(f.port);
    expect(c.greeting).not.toContain("STARTTLS");
    expect((await c.transact("a1 STARTTLS")).tagged).toBe("a1 BAD TLS is already active");
    c.close();
  });
});
