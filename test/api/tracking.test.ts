import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { scheduledSends, trackedMessages } from "../../src/store/schema.ts";
import { MAX_HITS } from "../../src/tracking/hits.ts";
import { mxTransport } from "../smtp/support/smtp.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { type Delivery, Receiver, subscribe } from "../webhooks/receiver.ts";
import { createAccount, expectError } from "./helpers.ts";
import { type Account, account, call, expectOk, sendJson } from "./send-helpers.ts";

/**
 * tracking_options: opens through a pixel, clicks through redirects (served at AGENTBOX_PUBLIC_URL),
 * replies detected on inbound mail; message.opened, message.link_clicked, thread.replied.
 */

const PUBLIC = "https://mail.agentbox.test";
let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_PUBLIC_URL: PUBLIC });
  receiver = Receiver.start();
  await subscribe(t, receiver.url, ["message.opened", "message.link_clicked", "thread.replied"]);
});
afterAll(async () => {
  await t.stop();
  await receiver.stop();
});

const HTML =
  '<p>Hi! <a href="https://shop.example/deal?x=1&amp;y=2">the deal</a>, <a href="mailto:me@x.example">me</a>.</p>';

async function tracked(from: Account, to: string, options: Record<string, unknown>, extra = {}) {
  return expectOk(
    await sendJson(t, from.id, {
      to: [{ email: to }],
      subject: "Tracked",
      body: HTML,
      tracking_options: options,
      ...extra,
    }),
  );
}

/** The paths of the pixel and of the first redirect in a sent body, fetched from the real port. */
function urlsOf(body: string) {
  const pixel = body.match(/mail\.agentbox\.test(\/t\/o\/[\w-]+\.gif)/)?.[1];
  const link = body.match(/mail\.agentbox\.test(\/t\/l\/[\w-]+)\/0/)?.[1];
  return { pixel: `${t.url}${pixel}`, link: (i: number) => `${t.url}${link}/${i}` };
}

const about = (type: string, messageId: string) => (d: Delivery) =>
  d.body.type === type &&
  (d.body.data.object.message_id === messageId || d.body.data.object.root_message_id === messageId);

describe("opens", () => {
  test("a pixel at the end of the HTML; fetching it notifies message.opened within a second, counted", async () => {
    const a = await account(t, "open-a");
    const sent = await tracked(a, "reader@example.com", { opens: true, label: "welcome" });
    expect(sent.body).toMatch(
      /<img src="https:\/\/mail\.agentbox\.test\/t\/o\/[\w-]{22}\.gif" width="1" height="1"/,
    );
    expect(sent.body).toContain('href="https://shop.example/deal?x=1&amp;y=2"'); // links not asked: untouched
    const { pixel } = urlsOf(sent.body);
    const started = performance.now();
    const res = await fetch(pixel, { headers: { "user-agent": "Reader/1" } });
    expect(res.headers.get("content-type")).toBe("image/gif");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(new Uint8Array(await res.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode("GIF89a"));
    const [first] = await receiver.waitFor(1, about("message.opened", sent.id), 1000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(first?.body.source).toBe("/com/nylas/tracking");
    expect(first?.body.data.object).toMatchObject({
      object: "message",
      grant_id: a.id,
      message_id: sent.id,
      label: "welcome",
      message_data: { count: 1 },
      recents: [{ opened_id: 0, ip: "127.0.0.1", user_agent: "Reader/1" }],
    });
    // The same client again at once counts once (a client fetching twice as it renders); another counts.
    await fetch(pixel, { headers: { "user-agent": "Reader/1" } });
    await fetch(pixel, { headers: { "user-agent": "Other/2" } });
    const opens = await receiver.waitFor(2, about("message.opened", sent.id));
    await Bun.sleep(200);
    expect(receiver.deliveries.filter(about("message.opened", sent.id))).toHaveLength(2);
    expect(opens[1]?.body.data.object.message_data.count).toBe(2);
    expect(opens[1]?.body.data.object.recents.map((r: any) => r.opened_id)).toEqual([1, 0]);
  });

  test("past MAX_HITS opens of one message, further opens are neither stored nor notified", async () => {
    const a = await account(t, "open-cap");
    const sent = await tracked(a, "reader@example.com", { opens: true });
    const token = sent.body.match(/\/t\/o\/([\w-]+)\.gif/)?.[1] as string;
    await t.server.store.writer.submit((tx) => {
      const insert = tx.$client.prepare("INSERT INTO tracking_hits (token, kind, at) VALUES (?, 'open', 0)");
      for (let i = 0; i < MAX_HITS; i++) insert.run(token);
    });
    await fetch(urlsOf(sent.body).pixel, { headers: { "user-agent": "late" } });
    await Bun.sleep(500);
    expect(receiver.deliveries.filter(about("message.opened", sent.id))).toEqual([]);
  });

  test("an unknown token still gets the pixel (nothing told, nothing recorded)", async () => {
    const res = await fetch(`${t.url}/t/o/AAAAAAAAAAAAAAAAAAAAAA.gif`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/gif");
  });
});

describe("links", () => {
  test("http(s) links go through a redirect to the original URL; a click notifies message.link_clicked", async () => {
    const a = await account(t, "link-a");
    const sent = await tracked(a, "reader@example.com", { links: true });
    expect(sent.body).toContain('href="mailto:me@x.example"');
    expect(sent.body).not.toContain("<img");
    const { link } = urlsOf(sent.body);
    const res = await fetch(link(0), { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://shop.example/deal?x=1&y=2");
    const [clicked] = await receiver.waitFor(1, about("message.link_clicked", sent.id), 1000);
    expect(clicked?.body.data.object).toMatchObject({
      message_id: sent.id,
      link_data: [{ url: "https://shop.example/deal?x=1&y=2", count: 1 }],
      recents: [{ click_id: "0", link_index: "0" }],
    });
    expect((await fetch(link(1), { redirect: "manual" })).status).toBe(404);
    expect((await fetch(`${t.url}/t/l/AAAAAAAAAAAAAAAAAAAAAA/0`, { redirect: "manual" })).status).toBe(404);
  });
});

describe("thread replies", () => {
  test("a reply from a hosted account, and one through the MX, notify thread.replied; other mail does not", async () => {
    const a = await account(t, "reply-a");
    const b = await account(t, "reply-b");
    const sent = await tracked(a, b.email, { thread_replies: true, label: "ask" });
    const inbox = expectOk(await call(t, "GET", `/v3/grants/${b.id}/messages?subject=Tracked`));
    await sendJson(t, b.id, {
      to: [{ email: a.email }],
      subject: "Re: Tracked",
      body: "yes",
      reply_to_message_id: inbox[0].id,
    });
    const [first] = await receiver.waitFor(1, about("thread.replied", sent.id), 2000);
    expect(first?.body.data.object).toMatchObject({
      object: "thread",
      grant_id: a.id,
      root_message_id: sent.id,
      reply_to_message_id: sent.id,
      thread_id: sent.thread_id,
      label: "ask",
      reply_data: { count: 1 },
      from_self: false,
    });
    const messageId = (
      await t.server.store.read.select().from(trackedMessages).where(eq(trackedMessages.messageId, sent.id))
    )[0]?.rfc822Id;
    const transport = mxTransport(t);
    await transport.sendMail({
      envelope: { from: "someone@remote.example", to: [a.email] },
      raw: `From: someone@remote.example\r\nTo: ${a.email}\r\nSubject: Re: Tracked\r\nIn-Reply-To: ${messageId}\r\nReferences: ${messageId}\r\n\r\nsure\r\n`,
    });
    await transport.sendMail({
      envelope: { from: "someone@remote.example", to: [a.email] },
      raw: `From: someone@remote.example\r\nTo: ${a.email}\r\nSubject: unrelated\r\n\r\nhello\r\n`,
    });
    transport.close();
    const both = await receiver.waitFor(2, about("thread.replied", sent.id), 5000);
    expect(both[1]?.body.data.object.reply_data.count).toBe(2);
    await Bun.sleep(200);
    expect(receiver.deliveries.filter(about("thread.replied", sent.id))).toHaveLength(2);
  });

  test("the account's own follow-up in the thread is from_self", async () => {
    const a = await account(t, "self-a");
    const sent = await tracked(a, "x@example.com", { thread_replies: true });
    await sendJson(t, a.id, {
      to: [{ email: "x@example.com" }],
      body: "ping?",
      reply_to_message_id: sent.id,
    });
    const [own] = await receiver.waitFor(1, about("thread.replied", sent.id), 2000);
    expect(own?.body.data.object.from_self).toBe(true);
  });
});

describe("scheduled and transactional sends", () => {
  test("a scheduled send is tracked when it goes out", async () => {
    const a = await account(t, "sched-track");
    const res = await sendJson(t, a.id, {
      to: [{ email: "x@example.com" }],
      body: HTML,
      send_at: Math.floor(Date.now() / 1000) + 3600,
      tracking_options: { opens: true },
    });
    const scheduled = expectOk(res, 202);
    await t.server.store.writer.submit((tx) =>
      tx
        .update(scheduledSends)
        .set({ sendAt: Math.floor(Date.now() / 1000) - 1 })
        .where(eq(scheduledSends.id, scheduled.schedule_id)),
    );
    await t.server.scheduler.wake();
    await fetch(urlsOf(scheduled.body).pixel);
    const [opened] = await receiver.waitFor(1, about("message.opened", scheduled.id), 2000);
    expect(opened?.body.data.grant_id).toBe(a.id);
  });

  test("a transactional send's opens are the application's (no grant)", async () => {
    const res = await fetch(`${t.url}/v3/domains/agents.localhost/messages/send`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        from: { email: "news@agents.localhost" },
        to: [{ email: "x@example.com" }],
        body: HTML,
        tracking_options: { opens: true },
      }),
    });
    const sent = ((await res.json()) as any).data;
    await fetch(urlsOf(sent.body).pixel);
    const [opened] = await receiver.waitFor(1, about("message.opened", sent.id), 2000);
    expect(opened?.body.data.grant_id).toBeNull();
    expect(opened?.body.data.object.grant_id).toBeUndefined();
  });
});

describe("drafts", () => {
  test("a draft keeps its tracking_options; sending it tracks opens and links as a send does", async () => {
    const a = await account(t, "draft-track");
    const draft = expectOk(
      await call(t, "POST", `/v3/grants/${a.id}/drafts`, {
        json: {
          to: [{ email: "reader@example.com" }],
          subject: "Drafted",
          body: HTML,
          tracking_options: { opens: true, links: true, label: "drafted é" },
        },
      }),
    );
    // The stored draft is not instrumented: that happens when it is sent.
    expect(draft.body).not.toContain("/t/o/");
    // An update that does not name tracking_options keeps them.
    expectOk(
      await call(t, "PUT", `/v3/grants/${a.id}/drafts/${draft.id}`, { json: { subject: "Drafted 2" } }),
    );
    const sent = expectOk(await call(t, "POST", `/v3/grants/${a.id}/drafts/${draft.id}`, { json: {} }));
    expect(sent.id).toBe(draft.id);
    expect(sent.body).toMatch(/\/t\/o\/[\w-]{22}\.gif/);
    // The field that kept the options in the draft's MIME is not sent.
    const raw = await api(t, "GET", `/v3/grants/${a.id}/messages/${sent.id}?fields=raw_mime`);
    const mime = Buffer.from(raw.body.data.raw_mime, "base64url").toString("latin1");
    expect(mime).toContain("Subject: Drafted 2");
    expect(mime).not.toContain("Agentbox-Draft-Tracking");
    const { pixel, link } = urlsOf(sent.body);
    await fetch(pixel, { headers: { "user-agent": "Drafted/1" } });
    const [opened] = await receiver.waitFor(1, about("message.opened", sent.id), 2000);
    expect(opened?.body.data.object).toMatchObject({ message_id: sent.id, label: "drafted é" });
    expect((await fetch(link(0), { redirect: "manual" })).status).toBe(302);
    await receiver.waitFor(1, about("message.link_clicked", sent.id), 2000);
  });

  test("an update can turn tracking off: the draft is then sent untracked", async () => {
    const a = await account(t, "draft-untrack");
    const draft = expectOk(
      await call(t, "POST", `/v3/grants/${a.id}/drafts`, {
        json: { to: [{ email: "r@example.com" }], body: HTML, tracking_options: { opens: true } },
      }),
    );
    expectOk(
      await call(t, "PUT", `/v3/grants/${a.id}/drafts/${draft.id}`, {
        json: { tracking_options: { opens: false } },
      }),
    );
    const sent = expectOk(await call(t, "POST", `/v3/grants/${a.id}/drafts/${draft.id}`, { json: {} }));
    expect(sent.body).not.toContain("/t/o/");
    const rows = await t.server.store.read
      .select()
      .from(trackedMessages)
      .where(eq(trackedMessages.messageId, sent.id));
    expect(rows).toHaveLength(0);
  });
});

describe("refusals", () => {
  test("a plain-text body cannot carry opens or links, on a send or a draft", async () => {
    const a = await account(t, "track-bad");
    expectError(
      await sendJson(t, a.id, {
        to: [{ email: "x@example.com" }],
        body: "hi",
        is_plaintext: true,
        tracking_options: { opens: true },
      }),
      400,
      "invalid_request_error",
      "tracking_options.opens needs an HTML body",
    );
    expectError(
      await call(t, "POST", `/v3/grants/${a.id}/drafts`, {
        json: { body: "x", is_plaintext: true, tracking_options: { links: true } },
      }),
      400,
      "invalid_request_error",
      "tracking_options.links needs an HTML body",
    );
  });

  test("without AGENTBOX_PUBLIC_URL opens and links are refused; thread_replies needs no URL", async () => {
    const plain = await startTestServer();
    try {
      const grant = await createAccount(plain);
      const send = (options: Record<string, unknown>) =>
        api(plain, "POST", `/v3/grants/${grant.id}/messages/send`, {
          to: [{ email: "x@example.com" }],
          body: HTML,
          tracking_options: options,
        });
      expectError(await send({ opens: true }), 400, "invalid_request_error", "AGENTBOX_PUBLIC_URL");
      expectError(await send({ links: true }), 400, "invalid_request_error", "AGENTBOX_PUBLIC_URL");
      expect((await send({ thread_replies: true })).status).toBe(200);
    } finally {
      await plain.stop();
    }
  });
});
