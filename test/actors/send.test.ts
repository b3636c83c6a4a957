import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import type { MailboxChange } from "../../src/domain/changes.ts";
import { grants, messages, outboundQueue, sendCounts } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore, quietLog } from "../support/store.ts";

/** The mailbox actor's send and replaceDraft commands: one unit each, all or nothing. */

let store: Store;
let cleanup: () => Promise<void>;
let bus: ChangeBus;
let mailboxes: Mailboxes;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  bus = new ChangeBus();
  mailboxes = new Mailboxes(store, bus, quietLog, 60_000);
});
afterEach(async () => {
  await mailboxes.shutdown();
  await cleanup();
});

const mail = (n: number, extra = "") =>
  new TextEncoder().encode(
    `From: a@t.test\r\nTo: x@remote.test\r\n${extra}Subject: ${n}\r\nMessage-ID: <${n}@t>\r\n\r\nbody ${n}\r\n`,
  );

function sendCmd(raw: Uint8Array, recipients = ["x@remote.test"]) {
  return { raw, outbound: { raw, mailFrom: "a@t.test", recipients } };
}

async function setLimit(grantId: string, limit: number) {
  await store.writer.submit((tx) =>
    tx.update(grants).set({ dailySendLimit: limit }).where(eq(grants.id, grantId)),
  );
}

const rowsOf = async (grantId: string) =>
  store.read.select().from(messages).where(eq(messages.grantId, grantId));
const queueOf = async (grantId: string) =>
  store.read.select().from(outboundQueue).where(eq(outboundQueue.grantId, grantId));

describe("send", () => {
  test("stores the Sent copy seen, queues each remote recipient and counts one send", async () => {
    const { grantId } = await insertGrant(store);
    const reply = await mailboxes.ask(grantId, "send", sendCmd(mail(1), ["x@remote.test", "y@remote.test"]));
    expect(reply.folderId).toBe("sent");
    expect(reply.queued).toBe(2);
    const [row] = await rowsOf(grantId);
    expect(row?.seen).toBe(true);
    expect(row?.draft).toBe(false);
    expect((await queueOf(grantId)).map((q) => [q.rcptTo, q.messageId, q.status])).toEqual([
      ["x@remote.test", reply.id, "queued"],
      ["y@remote.test", reply.id, "queued"],
    ]);
    const counts = await store.read.select().from(sendCounts).where(eq(sendCounts.grantId, grantId));
    expect(counts.map((c) => c.count)).toEqual([1]);
  });

  test("over the daily limit: rate_limited with the seconds to reset, and nothing written", async () => {
    const { grantId } = await insertGrant(store);
    await setLimit(grantId, 1);
    await mailboxes.ask(grantId, "send", sendCmd(mail(1)));
    const refused = mailboxes.ask(grantId, "send", sendCmd(mail(2)));
    await expect(refused).rejects.toMatchObject({ code: "rate_limited" });
    const err = await refused.catch((e) => e);
    const now = Date.now() / 1000;
    expect(err.retryAfterS).toBeGreaterThan(0);
    expect(err.retryAfterS).toBeLessThanOrEqual(86_400);
    expect(Math.abs(now + err.retryAfterS - Math.ceil((now + 1) / 86_400) * 86_400)).toBeLessThan(5);
    expect((await rowsOf(grantId)).length).toBe(1);
    expect((await queueOf(grantId)).length).toBe(1);
  });

  test("a send that fails after taking the quota gives the quota back (same unit)", async () => {
    const { grantId } = await insertGrant(store, undefined, 100);
    await setLimit(grantId, 1);
    await expect(
      mailboxes.ask(grantId, "send", sendCmd(mail(1, `X-Pad: ${"x".repeat(200)}\r\n`))),
    ).rejects.toMatchObject({
      code: "over_quota",
    });
    expect(await store.read.select().from(sendCounts).where(eq(sendCounts.grantId, grantId))).toEqual([]);
    expect(await queueOf(grantId)).toEqual([]);
  });

  test("sending a draft: the draft leaves Drafts and the Sent copy keeps its id", async () => {
    const { grantId } = await insertGrant(store);
    const draft = await mailboxes.ask(grantId, "append", {
      folderId: "drafts",
      raw: mail(1),
      flags: { draft: true },
    });
    const changes: MailboxChange[] = [];
    bus.subscribe(grantId, (c) => changes.push(c));
    const sent = await mailboxes.ask(grantId, "send", {
      ...sendCmd(mail(2)),
      draft: { id: draft.id, uid: draft.uid },
    });
    expect(sent.id).toBe(draft.id);
    const rows = await rowsOf(grantId);
    expect(rows.map((r) => [r.id, r.folderId, r.draft])).toEqual([[draft.id, "sent", false]]);
    expect(changes.map((c) => [c.type, "folderId" in c ? c.folderId : ""])).toEqual([
      ["message.deleted", "drafts"],
      ["message.created", "sent"],
    ]);
  });

  test("sending a draft that was saved again meanwhile is a conflict; nothing changes", async () => {
    const { grantId } = await insertGrant(store);
    const draft = await mailboxes.ask(grantId, "append", {
      folderId: "drafts",
      raw: mail(1),
      flags: { draft: true },
    });
    await mailboxes.ask(grantId, "replaceDraft", {
      draftId: draft.id,
      expectedUid: draft.uid,
      raw: mail(3),
      metadata: {},
      flags: {},
    });
    const stale = mailboxes.ask(grantId, "send", {
      ...sendCmd(mail(2)),
      draft: { id: draft.id, uid: draft.uid },
    });
    await expect(stale).rejects.toMatchObject({ code: "conflict" });
    expect((await rowsOf(grantId)).map((r) => [r.folderId, r.subject])).toEqual([["drafts", "3"]]);
    expect(await queueOf(grantId)).toEqual([]);
  });
});

describe("replaceDraft", () => {
  test("the new version takes the old one's place under the same id, with a new UID", async () => {
    const { grantId } = await insertGrant(store);
    const draft = await mailboxes.ask(grantId, "append", {
      folderId: "drafts",
      raw: mail(1),
      flags: { draft: true },
      metadata: { a: "1" },
    });
    const changes: MailboxChange[] = [];
    bus.subscribe(grantId, (c) => changes.push(c));
    const replaced = await mailboxes.ask(grantId, "replaceDraft", {
      draftId: draft.id,
      expectedUid: draft.uid,
      raw: mail(2),
      metadata: { b: "2" },
      flags: { flagged: true },
    });
    expect(replaced.id).toBe(draft.id);
    expect(replaced.uid).toBeGreaterThan(draft.uid);
    const rows = await rowsOf(grantId);
    expect(rows.map((r) => [r.id, r.subject, r.draft, r.flagged, r.metadataJson])).toEqual([
      [draft.id, "2", true, true, '{"b":"2"}'],
    ]);
    expect(changes.map((c) => c.type)).toEqual(["message.deleted", "message.created"]);
  });

  test("a stale version is refused with conflict; a message outside Drafts is not_found", async () => {
    const { grantId } = await insertGrant(store);
    const draft = await mailboxes.ask(grantId, "append", {
      folderId: "drafts",
      raw: mail(1),
      flags: { draft: true },
    });
    const input = { draftId: draft.id, raw: mail(2), metadata: {}, flags: {} };
    await mailboxes.ask(grantId, "replaceDraft", { ...input, expectedUid: draft.uid });
    await expect(
      mailboxes.ask(grantId, "replaceDraft", { ...input, expectedUid: draft.uid }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    const inbox = await mailboxes.ask(grantId, "append", { folderId: "inbox", raw: mail(5) });
    await expect(
      mailboxes.ask(grantId, "replaceDraft", { ...input, draftId: inbox.id, expectedUid: inbox.uid }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await rowsOf(grantId)).length).toBe(2);
  });
});
