/**
 * Connected IMAP accounts (issue 18, engineer 18a's half): what an API call on a connected
 * account costs when it goes to the provider first: a flag change written through (a short-lived
 * IMAP connection: TLS, LOGIN, SELECT, STORE, LOGOUT), a search_query_native run at the provider,
 * a send through the provider's SMTP plus the APPEND to its Sent, and the connect itself (a real
 * login). The provider is the private Dovecot of the tests (test/support/dovecot.ts) on loopback,
 * the SMTP a capture server; all in this process but Dovecot. The sync is not running: the
 * messages are indexed as it would.
 * Run: node_modules/.bin/bun bench/connected-writes.ts [operations]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { saveFolderSyncState } from "../src/connected/provider-index.ts";
import { providerMessages } from "../src/store/schema.ts";
import { startCaptureServer } from "../test/smtp/support/capture-server.ts";
import { connectImap, startPrivateDovecot } from "../test/support/dovecot.ts";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, percentile, report } from "./lib.ts";

const operations = Number(process.argv[2] ?? 200);
const USER = "bench@provider.test";

const provider = await startPrivateDovecot();
await provider.addUser(USER, "pw");
const smtp = await startCaptureServer({
  auth: { user: USER, pass: "pw" },
  tls: {
    certPem: readFileSync(join(provider.dir, "tls", "server.pem"), "utf8"),
    keyPem: readFileSync(join(provider.dir, "tls", "server-key.pem"), "utf8"),
  },
});
const t = await startTestServer({ AGENTBOX_PROVIDER_CA_FILE: provider.caFile });

const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

const connectMs: number[] = [];
let grantId = "";
for (let i = 0; i < 5; i++) {
  connectMs.push(
    await timed(async () => {
      const res = await connectImap(t, provider, USER, "pw", { smtp_port: smtp.port });
      if (res.status !== 201) throw new Error(`connect: ${res.status} ${JSON.stringify(res.body)}`);
      grantId = res.body.data.id;
    }),
  );
}

// Stand in for the sync (stopped, so that it does not import the same messages on its own): the
// folder map and 100 indexed INBOX messages.
await t.server.connectedSync.stop(grantId);
const client = await provider.connectAs(USER);
for (const [path, folderId] of [
  ["INBOX", "inbox"],
  ["Sent", "sent"],
] as const) {
  const status = await client.status(path, { uidValidity: true });
  await saveFolderSyncState(t.server.store, {
    grantId,
    folderPath: path,
    folderId,
    uidValidity: Number(status ? status.uidValidity : 0),
    uidNext: null,
    highestModseq: null,
    initialLowUid: null,
    initialDone: true,
  });
}
const inbox = await client.status("INBOX", { uidValidity: true });
await client.logout();
const ids: string[] = [];
for (let i = 0; i < 100; i++) {
  const raw = `From: x@elsewhere.test\r\nTo: ${USER}\r\nSubject: bench ${i}\r\nMessage-ID: <b${i}@elsewhere.test>\r\n\r\nhello ${i}\r\n`;
  const uid = (await provider.deliver(USER, raw)) ?? 0;
  const stored = await t.server.mailboxes.ask(grantId, "append", {
    folderId: "inbox",
    raw: Buffer.from(raw),
  });
  await t.server.store.writer.submit((tx) =>
    tx
      .insert(providerMessages)
      .values({
        grantId,
        folderPath: "INBOX",
        uidValidity: Number(inbox ? inbox.uidValidity : 0),
        uid,
        messageId: stored.id,
      })
      .run(),
  );
  ids.push(stored.id);
}

const flagMs: number[] = [];
for (let i = 0; i < operations; i++) {
  const id = ids[i % ids.length];
  flagMs.push(
    await timed(async () => {
      const res = await api(t, "PUT", `/v3/grants/${grantId}/messages/${id}`, { starred: i % 2 === 0 });
      if (res.status !== 200) throw new Error(`flag: ${res.status}`);
    }),
  );
}
const searchMs: number[] = [];
for (let i = 0; i < Math.min(operations, 100); i++) {
  const q = encodeURIComponent(`SUBJECT "bench ${i % 100}"`);
  searchMs.push(
    await timed(async () => {
      const res = await api(t, "GET", `/v3/grants/${grantId}/messages?in=inbox&search_query_native=${q}`);
      if (res.status !== 200 || res.body.data.length === 0) throw new Error(`search: ${res.status}`);
    }),
  );
}
const sendMs: number[] = [];
for (let i = 0; i < Math.min(operations, 100); i++) {
  sendMs.push(
    await timed(async () => {
      const res = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
        to: [{ email: "friend@elsewhere.test" }],
        subject: `sent ${i}`,
        body: "hello",
      });
      if (res.status !== 200) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
    }),
  );
}

const row = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms (${values.length})`;
report(`connected IMAP account, API calls that go to the provider — ${machine()}`, {
  "connect/custom (real login, TLS)": row(connectMs),
  "PUT message starred (write-through)": row(flagMs),
  "GET messages search_query_native (IMAP SEARCH)": row(searchMs),
  "messages/send (provider SMTP + APPEND to Sent)": row(sendMs),
});
await t.stop();
await smtp.close();
await provider.destroy();
