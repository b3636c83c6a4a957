import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { RetentionSweeper } from "../../src/retention/sweeper.ts";
import { events, messages } from "../../src/store/schema.ts";
import { createAccount, PASSWORD, uniqueEmail } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { quietLog } from "../support/store.ts";

/**
 * Retention: a policy's inbox and spam periods, swept through each account's actor with a
 * clock the test controls: nothing removed a second early, every removal a message.deleted, in
 * batches, restart-safe (a new sweeper simply sweeps again), counted in /metrics; an account
 * without such a policy keeps everything.
 */

const DAY = 86_400;
const T0 = 2_000_000_000;

let t: TestServer;
let now = T0;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

function sweeper(batch = 500): RetentionSweeper {
  const s = t.server;
  return new RetentionSweeper(
    { store: s.store, mailboxes: s.mailboxes, guardrails: s.guardrails, log: quietLog, metrics: s.metrics },
    { intervalMs: 3600_000, firstDelayMs: 3600_000, batch, clock: () => now },
  );
}

let serial = 0;
async function store(grantId: string, folderId: string, ageS: number): Promise<string> {
  serial += 1;
  const raw = Buffer.from(`Subject: m${serial}\r\nMessage-ID: <m${serial}@test>\r\n\r\nbody\r\n`);
  const r = await t.server.mailboxes.ask(grantId, "append", { folderId, raw, internalDate: T0 - ageS });
  return r.id;
}

function exists(id: string): boolean {
  return (
    t.server.store.read.select({ id: messages.id }).from(messages).where(eq(messages.id, id)).get() !==
    undefined
  );
}

function deletedEvents(grantId: string): string[] {
  return t.server.store.read
    .select({ object: events.objectJson })
    .from(events)
    .where(and(eq(events.grantId, grantId), eq(events.type, "message.deleted")))
    .all()
    .map((r) => (JSON.parse(r.object) as { id: string }).id);
}

async function retained(limits: Record<string, number>) {
  const policy = await api(t, "POST", "/v3/policies", { name: "retention", limits });
  expect(policy.status).toBe(200);
  const g = await createAccount(t, {
    email: uniqueEmail("kept"),
    app_password: PASSWORD,
    policy_id: policy.body.data.id,
  });
  return { id: g.id as string, email: g.email as string, policyId: policy.body.data.id as string };
}

describe("retention", () => {
  test("inbox and spam periods: what outlived them goes, nothing a second early", async () => {
    now = T0;
    const a = await retained({ limit_inbox_retention_period: 30, limit_spam_retention_period: 7 });
    const keepForever = await createAccount(t, { email: uniqueEmail("forever") });
    const oldInbox = await store(a.id, "inbox", 30 * DAY + 1);
    const edgeInbox = await store(a.id, "inbox", 30 * DAY);
    const youngInbox = await store(a.id, "inbox", 29 * DAY);
    const oldSent = await store(a.id, "sent", 40 * DAY);
    const oldDraft = await store(a.id, "drafts", 400 * DAY);
    const oldJunk = await store(a.id, "junk", 7 * DAY + 1);
    const youngJunk = await store(a.id, "junk", 6 * DAY);
    const ancient = await store(keepForever.id, "inbox", 1000 * DAY);

    const r = await sweeper().sweep();
    expect(r).toMatchObject({ inbox: 2, spam: 1 });
    for (const id of [oldInbox, oldSent, oldJunk]) expect(exists(id)).toBe(false);
    for (const id of [edgeInbox, youngInbox, oldDraft, youngJunk, ancient]) expect(exists(id)).toBe(true);
    expect(deletedEvents(a.id).sort()).toEqual([oldInbox, oldSent, oldJunk].sort());

    // One second later, the one at the edge has outlived its period.
    now = T0 + 1;
    expect(await sweeper().sweep()).toMatchObject({ inbox: 1, spam: 0 });
    expect(exists(edgeInbox)).toBe(false);
    expect(exists(ancient)).toBe(true);
    expect(deletedEvents(keepForever.id)).toEqual([]);
  });

  test("in batches; a mail client sees the messages go; /metrics counts them", async () => {
    now = T0;
    const a = await retained({ limit_inbox_retention_period: 1 });
    for (let i = 0; i < 7; i++) await store(a.id, "inbox", 2 * DAY + i);
    const young = await store(a.id, "inbox", 60);
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: t.server.ports.imaps,
      secure: true,
      auth: { user: a.email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const box = await client.mailboxOpen("INBOX");
      expect(box.exists).toBe(8);
      const expunged: number[] = [];
      client.on("expunge", (e: { seq: number }) => expunged.push(e.seq));
      const r = await sweeper(3).sweep();
      expect(r.inbox).toBe(7);
      await client.noop();
      expect(expunged).toHaveLength(7);
      expect(await client.status("INBOX", { messages: true })).toMatchObject({ messages: 1 });
    } finally {
      await client.logout();
    }
    expect(exists(young)).toBe(true);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/agentbox_retention_removed_total\{folder="inbox"\} \d+/);
  });

  test("a policy without retention, or a sweep again, removes nothing more", async () => {
    now = T0 + 365 * DAY;
    const a = await retained({ limit_count_daily_email_sent: 10 });
    const old = await store(a.id, "inbox", 5000 * DAY);
    const before = await sweeper().sweep();
    expect(exists(old)).toBe(true);
    const again = await sweeper().sweep();
    expect(again.inbox + again.spam).toBe(0);
    expect(before.accounts).toBeGreaterThan(0);
  });
});
