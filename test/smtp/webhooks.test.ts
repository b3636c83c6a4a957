import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import type { TestServer } from "../support/server.ts";
import { type Delivery, Receiver, signedWith, subscribe } from "../webhooks/receiver.ts";
import { type CaptureServer, startCaptureServer } from "./support/capture-server.ts";
import {
  folder,
  type Mailbox,
  mailbox,
  mxTransport,
  startSmtpTestServer,
  submitTransport,
} from "./support/smtp.ts";

/** The webhooks of SMTP traffic: submission, MX deliveries, and outbound delivered/bounced. */

let dns: TestDnsServer;
let remote: CaptureServer;
let t: TestServer;
let receiver: Receiver;
let secret: string;

beforeAll(async () => {
  dns = await startTestDnsServer();
  remote = await startCaptureServer();
  dns.set("remote.example", "MX", [{ exchange: "mx.remote.example", priority: 10 }]);
  dns.set("mx.remote.example", "A", ["127.0.0.1"]);
  t = await startSmtpTestServer({
    AGENTBOX_DNS_SERVER: dns.address,
    AGENTBOX_SMTP_QUEUE_HOLD: "0",
    AGENTBOX_SMTP_OUTBOUND_PORT: String(remote.port),
    AGENTBOX_SMTP_QUEUE_POLL_MS: "50",
  });
  receiver = Receiver.start();
  const hook = await subscribe(t, receiver.url, ["message.created", "message.delivered", "message.bounced"]);
  secret = hook.webhook_secret;
});
afterAll(async () => {
  await t.stop();
  await receiver.stop();
  await remote.close();
  await dns.close();
});

async function one(type: string, match: (d: Delivery) => boolean): Promise<Record<string, any>> {
  const [d] = await receiver.waitFor(1, (x) => x.body.type === type && match(x), 10_000);
  expect(signedWith(d!, secret)).toBe(true);
  return d!.body;
}

describe("SMTP traffic fires the same webhooks as the API", () => {
  let a: Mailbox;
  let b: Mailbox;
  beforeAll(async () => {
    a = await mailbox(t, "hook-a");
    b = await mailbox(t, "hook-b");
  });

  test("submission: message.created for the Sent copy and for the hosted recipient's INBOX copy", async () => {
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({ from: a.email, to: b.email, subject: "hooked submission", text: "x" });
    transport.close();
    const [sent] = await folder(t, a.id, "sent");
    const [got] = await folder(t, b.id, "inbox");
    const sentHook = await one("message.created", (d) => d.body.data.object.id === sent?.id);
    expect(sentHook.source).toBe("/nylas/emails/realtime");
    expect(sentHook.data.grant_id).toBe(a.id);
    expect(sentHook.data.object.folders).toEqual(["sent"]);
    expect(sentHook.data.object.subject).toBe("hooked submission");
    const inboxHook = await one("message.created", (d) => d.body.data.object.id === got?.id);
    expect(inboxHook.data.grant_id).toBe(b.id);
    expect(inboxHook.data.object.folders).toEqual(["inbox"]);
  });

  test("MX: message.created with the message as the API shows it, `authentication` included", async () => {
    const transport = mxTransport(t);
    await transport.sendMail({
      envelope: { from: "x@remote.example", to: [b.email] },
      raw: "From: x@remote.example\r\nSubject: hooked mx\r\n\r\nhello\r\n",
    });
    transport.close();
    const m = (await folder(t, b.id, "inbox")).find((x) => x.subject === "hooked mx");
    const hook = await one("message.created", (d) => d.body.data.object.id === m?.id);
    expect(hook.data.object.authentication.spf.result).toBe("none");
    expect(hook.data.object.folders).toEqual(["inbox"]);
  });

  test("outbound: message.delivered, and message.bounced after a 550 (source /nylas/send)", async () => {
    remote.rcptReplies.set("gone@remote.example", [{ code: 550, text: "5.1.1 gone" }]);
    const transport = submitTransport(t, "submission", a);
    await transport.sendMail({
      from: a.email,
      to: ["here@remote.example", "gone@remote.example"],
      subject: "hooked outbound",
      text: "x",
    });
    transport.close();
    const sent = (await folder(t, a.id, "sent")).find((x) => x.subject === "hooked outbound");
    const delivered = await one("message.delivered", (d) => d.body.data.object.message.id === sent?.id);
    expect(delivered.source).toBe("/nylas/send");
    expect(delivered.data.object.delivered.recipients).toEqual(["here@remote.example"]);
    const bounced = await one("message.bounced", (d) => d.body.data.object.message.id === sent?.id);
    expect(bounced.source).toBe("/nylas/send");
    expect(bounced.data.object.bounce.recipients[0]).toMatchObject({
      email: "gone@remote.example",
      status: "5.1.1",
    });
    expect(bounced.data.object.message.subject).toBe("hooked outbound");
  });
});
