/** imapflow (the Node IMAP client behind many tools) against the server: a full client session. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapFlow } from "imapflow";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

function client(email: string): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: f.port,
    secure: true,
    auth: { user: email, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

describe("imapflow", () => {
  test("list with special-use, status, fetch, flags, search, move, append, delete", async () => {
    const { email, grantId } = await f.account();
    const raw = message({ subject: "For imapflow", body: "findme please" });
    await deliver(f, grantId, raw);
    await deliver(f, grantId, message({ subject: "Second" }));
    const c = client(email);
    await c.connect();
    expect(c.capabilities.has("IDLE")).toBe(true);
    expect(c.capabilities.has("CONDSTORE")).toBe(true);

    const boxes = await c.list({ statusQuery: { messages: true, unseen: true } });
    const special = Object.fromEntries(boxes.filter((b) => b.specialUse).map((b) => [b.specialUse, b.path]));
    expect(special).toMatchObject({
      "\\Inbox": "INBOX",
      "\\Sent": "Sent",
      "\\Drafts": "Drafts",
      "\\Trash": "Trash",
      "\\Junk": "Junk",
      "\\Archive": "Archive",
    });
    expect(boxes.find((b) => b.path === "INBOX")?.status?.messages).toBe(2);

    const box = await c.mailboxOpen("INBOX");
    expect(box.exists).toBe(2);
    expect(typeof box.highestModseq).toBe("bigint");

    const got = await c.fetchOne("1", {
      envelope: true,
      source: true,
      flags: true,
      bodyStructure: true,
      uid: true,
    });
    if (!got) throw new Error("message 1 not fetched");
    expect(got.envelope?.subject).toBe("For imapflow");
    expect(got.source?.toString()).toBe(raw);
    expect(got.bodyStructure?.type).toBe("text/plain");

    await c.messageFlagsAdd({ uid: "1" }, ["\\Seen", "\\Flagged"], { uid: true });
    const msgs = (await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=inbox`)).body.data;
    const first = msgs.find((m: any) => m.subject === "For imapflow");
    expect(first.unread).toBe(false);
    expect(first.starred).toBe(true);

    expect(await c.search({ body: "findme" }, { uid: true })).toEqual([1]);
    expect(await c.search({ seen: false }, { uid: true })).toEqual([2]);

    const moved = await c.messageMove("2", "Archive", { uid: true });
    expect(moved ? moved.uidMap?.get(2) : undefined).toBe(1);

    const appended = await c.append("Drafts", message({ subject: "draft via imapflow" }), [
      "\\Draft",
      "\\Seen",
    ]);
    expect(appended ? appended.uid : undefined).toBe(1);

    await c.messageDelete("1", { uid: true });
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${first.id}`)).body.data.folders).toEqual([
      "trash",
    ]);

    await c.mailboxCreate(["Projects", "Alpha"]);
    expect((await c.list()).map((b) => b.path)).toContain("Projects/Alpha");
    await c.logout();
  });

  test("IDLE: a new message and a flag change made through the API reach the client at once", async () => {
    const { email, grantId } = await f.account();
    const first = await deliver(f, grantId, message());
    const c = client(email);
    await c.connect();
    await c.mailboxOpen("INBOX");
    const exists = new Promise<number>((resolve) =>
      c.on("exists", (d: { count: number }) => resolve(d.count)),
    );
    const flags = new Promise<Set<string>>((resolve) =>
      c.on("flags", (d: { flags: Set<string> }) => resolve(d.flags)),
    );
    const idling = c.idle();
    await new Promise((r) => setTimeout(r, 100));
    await deliver(f, grantId, message());
    expect(await exists).toBe(2);
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${first.id}`, { starred: true });
    expect([...(await flags)]).toEqual(["\\Flagged", "\\Recent"]);
    await c.logout();
    await idling.catch(() => undefined);
  });

  test("QRESYNC resync through imapflow", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = new ImapFlow({
      host: "127.0.0.1",
      port: f.port,
      secure: true,
      auth: { user: email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
      qresync: true,
    });
    await c.connect();
    expect(c.enabled.has("QRESYNC")).toBe(true);
    const box = await c.mailboxOpen("INBOX");
    expect(box.exists).toBe(1);
    await c.logout();
  });
});
