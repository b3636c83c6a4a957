import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectedGrant, dovecotInstalled, mail, type SyncFixture, syncFixture } from "./sync-harness.ts";

/** What the private Dovecot offers after login, IDLE left out. */
const WITHOUT_IDLE =
  "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS " +
  "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS " +
  "LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH " +
  "LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ " +
  "NOTIFY SPECIAL-USE";

let f: SyncFixture;

beforeAll(async () => {
  if (!dovecotInstalled()) return;
  f = await syncFixture();
  const conf = join(f.dovecot.dir, "dovecot.conf");
  writeFileSync(conf, `${readFileSync(conf, "utf8")}imap_capability = ${WITHOUT_IDLE}\n`);
  await f.dovecot.stop();
  await f.dovecot.start();
}, 60_000);
afterAll(async () => {
  await f?.stop();
}, 60_000);

describe.skipIf(!dovecotInstalled())("a provider without IDLE", () => {
  test("Inbox is polled every few seconds instead: new mail is message.created without IDLE", async () => {
    const { grantId, user } = await connectedGrant(f);
    const probe = await f.dovecot.connectAs(user);
    expect(probe.capabilities.has("IDLE")).toBe(false);
    await probe.logout();
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, (d) => d.body.type === "grant.imap_sync_completed", 20_000);
    await Bun.sleep(500);
    expect(f.t.server.connectedSync.connections.idle).toBe(0);
    await f.dovecot.deliver(user, mail({ subject: "polled in" }));
    const [created] = await f.receiver.waitFor(
      1,
      (d) => d.body.type === "message.created" && d.body.data.grant_id === grantId,
      15_000, // the fallback polls every 5 s; the every-folder poll would take 45 s
    );
    expect(created?.body.data.object.subject).toBe("polled in");
  }, 40_000);
});
