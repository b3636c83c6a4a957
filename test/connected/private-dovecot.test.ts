import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapFlow } from "imapflow";
import { dovecotInstalled, type PrivateDovecot, startPrivateDovecot } from "../support/dovecot.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;

maybe("the private Dovecot tests use as a provider", () => {
  let provider: PrivateDovecot;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser("ana@example.com", "first-pass");
  });
  afterAll(() => provider?.destroy());

  const login = async (port: number, secure: boolean, pass: string, ca: string[] | undefined) => {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure,
      doSTARTTLS: secure ? undefined : true,
      auth: { user: "ana@example.com", pass },
      tls: ca ? { ca } : {},
      logger: false,
    });
    client.on("error", () => {});
    await client.connect();
    return client;
  };

  test("implicit TLS and STARTTLS both log in with the CA, IDLE is offered", async () => {
    for (const [port, secure] of [
      [provider.tlsPort, true],
      [provider.starttlsPort, false],
    ] as const) {
      const client = await login(port, secure, "first-pass", [provider.ca]);
      expect(client.capabilities.has("IDLE")).toBe(true);
      await client.logout();
    }
  });

  test("a certificate from an unknown CA is refused", async () => {
    await expect(login(provider.tlsPort, true, "first-pass", undefined)).rejects.toThrow();
  });

  test("deliver puts a message in a folder with its date and flags", async () => {
    const when = new Date("2024-03-01T10:00:00Z");
    const raw = "From: a@b.test\r\nTo: ana@example.com\r\nSubject: hello\r\n\r\nbody\r\n";
    const uid = await provider.deliver("ana@example.com", raw, {
      folder: "Projects",
      internalDate: when,
      flags: ["\\Flagged"],
    });
    expect(uid).toBe(1);
    const client = await provider.connectAs("ana@example.com");
    await client.mailboxOpen("Projects");
    const message = await client.fetchOne(
      "1",
      { internalDate: true, flags: true, envelope: true },
      { uid: true },
    );
    expect(message && new Date(message.internalDate as Date).toISOString()).toBe(when.toISOString());
    expect(message && [...(message.flags ?? [])]).toContain("\\Flagged");
    const sent = (await client.list()).find((box) => box.specialUse === "\\Sent");
    expect(sent?.path).toBe("Sent");
    await client.logout();
  });

  test("setPassword holds from the next login", async () => {
    await provider.setPassword("ana@example.com", "second-pass");
    await expect(login(provider.tlsPort, true, "first-pass", [provider.ca])).rejects.toThrow();
    const client = await login(provider.tlsPort, true, "second-pass", [provider.ca]);
    await client.logout();
  }, 15_000);

  test("stop and start keep the ports and the mail", async () => {
    await provider.stop();
    await expect(login(provider.tlsPort, true, "second-pass", [provider.ca])).rejects.toThrow();
    await provider.start();
    const client = await login(provider.tlsPort, true, "second-pass", [provider.ca]);
    const status = await client.status("Projects", { messages: true });
    expect(status ? status.messages : 0).toBe(1);
    await client.logout();
  }, 15_000);
});
