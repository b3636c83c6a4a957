import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import { MailboxError } from "../../src/domain/errors.ts";
import { blobs, events, messages } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore, quietLog } from "../support/store.ts";

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

const raw = (n: number) =>
  new TextEncoder().encode(`Subject: ${n}\r\nMessage-ID: <${n}@t>\r\n\r\nbody ${n}\r\n`);

describe("MailboxActor", () => {
  test("1,000 concurrent appends: all committed, in order, unique gap-free UIDs, one event each", async () => {
    const { grantId } = await insertGrant(store);
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(i) }),
      ),
    );
    // FIFO: the i-th ask got the i-th UID.
    expect(replies.map((r) => r.uid)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const modseqs = replies.map((r) => r.modseq);
    expect(new Set(modseqs).size).toBe(1000);
    const rows = await store.read.select().from(messages).where(eq(messages.grantId, grantId));
    expect(rows.length).toBe(1000);
    expect(new Set(rows.map((r) => r.uid)).size).toBe(1000);
    const log = await store.read.select().from(events).where(eq(events.grantId, grantId));
    expect(log.filter((e) => e.type === "message.created").length).toBe(1000);
    expect(store.writer.stats().commits).toBeLessThan(100); // group commit happened
  });

  test("raw bytes are stored byte-exact", async () => {
    const { grantId } = await insertGrant(store);
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("Subject: x\n\n"),
      0xff,
      0x00,
      0x0d,
      0x80,
      0x0a,
    ]);
    const reply = await mailboxes.ask(grantId, "append", { folderId: "inbox", raw: bytes });
    const [row] = await store.read.select().from(messages).where(eq(messages.id, reply.id));
    const [blob] = await store.read
      .select()
      .from(blobs)
      .where(eq(blobs.hash, row?.blobHash ?? ""));
    expect(new Uint8Array(blob?.data ?? [])).toEqual(bytes);
  });

  test("a failing command fails alone; the others in its batch commit and UIDs stay unique", async () => {
    const { grantId } = await insertGrant(store);
    const results = await Promise.allSettled([
      mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(1) }),
      mailboxes.ask(grantId, "append", { folderId: "nope", raw: raw(2) }),
      mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(3) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const err = (results[1] as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(MailboxError);
    expect((err as MailboxError).code).toBe("not_found");
    const after = await mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(4) });
    const uids = (await store.read.select().from(messages).where(eq(messages.grantId, grantId))).map(
      (r) => r.uid,
    );
    expect(new Set(uids).size).toBe(3);
    expect(after.uid).toBeGreaterThan(Math.max(...uids.filter((u) => u !== after.uid)));
  });

  test("a crash inside the actor is isolated: other grants keep working, the actor restarts", async () => {
    const a = await insertGrant(store);
    const b = await insertGrant(store);
    const actor = mailboxes.system as unknown as { cells: Map<string, { actor: { handle: unknown } }> };
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw(1) });
    const cell = actor.cells.get(a.grantId);
    if (!cell) throw new Error("no cell");
    const original = cell.actor.handle;
    cell.actor.handle = () => Promise.reject(new Error("boom"));
    const [crashed, other] = await Promise.allSettled([
      mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw(2) }),
      mailboxes.ask(b.grantId, "append", { folderId: "inbox", raw: raw(1) }),
    ]);
    expect(crashed.status).toBe("rejected");
    expect(other.status).toBe("fulfilled");
    cell.actor.handle = original;
    const next = await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw(3) });
    expect(next.uid).toBe(2);
    expect(mailboxes.system.stats.restarts).toBe(1);
  });

  test("over quota is refused with over_quota and nothing is written", async () => {
    const { grantId } = await insertGrant(store);
    const big = new Uint8Array(11 * 1024 * 1024);
    await expect(mailboxes.ask(grantId, "append", { folderId: "inbox", raw: big })).rejects.toMatchObject({
      code: "over_quota",
    });
    const rows = await store.read.select().from(messages).where(eq(messages.grantId, grantId));
    expect(rows.length).toBe(0);
  });

  test("imapAppendAll (MULTIAPPEND): all stored in order in one unit, or none when one fails", async () => {
    const { grantId } = await insertGrant(store);
    const published: number[] = [];
    bus.subscribe(grantId, (c) => {
      if (c.type === "message.created") published.push(c.uid);
    });
    const big = new Uint8Array(6 * 1024 * 1024).fill(0x61);
    const failing = [raw(1), big, big].map((bytes) => ({ folderId: "inbox", raw: bytes }));
    await expect(mailboxes.ask(grantId, "imapAppendAll", { messages: failing })).rejects.toMatchObject({
      code: "over_quota",
    });
    expect(await store.read.select().from(messages).where(eq(messages.grantId, grantId))).toEqual([]);
    const log = await store.read.select().from(events).where(eq(events.grantId, grantId));
    expect(log.filter((e) => e.type.startsWith("message.")).length).toBe(0);
    expect(published).toEqual([]);

    const replies = await mailboxes.ask(grantId, "imapAppendAll", {
      messages: [1, 2, 3].map((n) => ({ folderId: "inbox", raw: raw(n), flags: { seen: n === 2 } })),
    });
    const uids = replies.map((r) => r.uid);
    expect(uids[1]).toBe((uids[0] as number) + 1);
    expect(uids[2]).toBe((uids[0] as number) + 2);
    expect(replies.every((r) => !r.existing)).toBe(true);
    const rows = await store.read.select().from(messages).where(eq(messages.grantId, grantId));
    expect(rows.map((r) => [r.uid, r.seen])).toEqual(uids.map((uid, i) => [uid, i === 1]));
    expect(published).toEqual(uids);
  });

  test("flags: changes publish after commit with a new MODSEQ; no-op changes keep MODSEQ", async () => {
    const { grantId } = await insertGrant(store);
    const seen: string[] = [];
    bus.subscribe(grantId, (c) => seen.push(c.type));
    const m = await mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(1) });
    const r1 = await mailboxes.ask(grantId, "storeFlags", {
      folderId: m.folderId,
      uids: [m.uid],
      change: { mode: "add", flags: { seen: true, keywords: ["$label1"] } },
    });
    expect(r1.updated[0]?.modseq).toBeGreaterThan(m.modseq);
    expect(r1.updated[0]?.flags).toMatchObject({ seen: true, keywords: ["$label1"] });
    const r2 = await mailboxes.ask(grantId, "storeFlags", {
      folderId: m.folderId,
      uids: [m.uid],
      change: { mode: "add", flags: { seen: true } },
    });
    expect(r2.updated).toEqual([]);
    expect(seen).toEqual(["message.created", "message.updated"]);
  });

  test("passivation stops idle actors and a later ask re-activates with state from disk", async () => {
    const short = new Mailboxes(store, bus, quietLog, 30);
    const { grantId } = await insertGrant(store);
    await short.ask(grantId, "append", { folderId: "inbox", raw: raw(1) });
    expect(short.system.isActive(grantId)).toBe(true);
    await Bun.sleep(120);
    expect(short.system.isActive(grantId)).toBe(false);
    expect(short.system.stats.passivated).toBe(1);
    const again = await short.ask(grantId, "append", { folderId: "inbox", raw: raw(2) });
    expect(again.uid).toBe(2);
    await short.shutdown();
  });

  test("an unknown grant is refused with not_found", async () => {
    await expect(
      mailboxes.ask("missing", "append", { folderId: "inbox", raw: raw(1) }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(mailboxes.system.size).toBe(1);
  });
});

describe("account deletion", () => {
  test("removes the account's messages and the raw bytes no other account shares", async () => {
    const { deleteGrant } = await import("../../src/accounts/provision.ts");
    const { grants } = await import("../../src/store/schema.ts");
    const a = await insertGrant(store);
    const b = await insertGrant(store);
    const shared = raw(1);
    const own = raw(2);
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: shared });
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: own });
    await mailboxes.ask(b.grantId, "append", { folderId: "inbox", raw: shared });
    const [row] = await store.read.select().from(grants).where(eq(grants.id, a.grantId));
    await mailboxes.remove(a.grantId);
    await deleteGrant(store, row!);
    expect((await store.read.select().from(messages).where(eq(messages.grantId, a.grantId))).length).toBe(0);
    const left = await store.read.select({ hash: blobs.hash }).from(blobs);
    expect(left.length).toBe(1); // the shared one, still read by account b
    const [bMessage] = await store.read.select().from(messages).where(eq(messages.grantId, b.grantId));
    expect(left[0]?.hash).toBe(bMessage?.blobHash);
  });
});
