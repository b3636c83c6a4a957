import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("CREATE", () => {
  test("errors: exists (any case), INBOX, empty levels", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 CREATE Sent")).tagged).toBe(
      'a1 NO [ALREADYEXISTS] Mailbox "Sent" already exists',
    );
    expect((await c.transact("a2 CREATE inbox")).tagged).toBe(
      'a2 NO [ALREADYEXISTS] Mailbox "INBOX" already exists',
    );
    expect((await c.transact("a3 CREATE a//b")).tagged).toBe("a3 NO [CANNOT] Invalid mailbox name");
  });

  test("a folder, with missing parents; the API sees them; folder.created events", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 CREATE Work/2025/Q1")).tagged).toBe("a1 OK CREATE completed");
    expect((await c.transact('a2 CREATE "&ZeVnLIqe-/"')).tagged).toBe("a2 OK CREATE completed");
    const folders = await api(f.t, "GET", `/v3/grants/${grantId}/folders`);
    const byName = new Map(folders.body.data.map((x: any) => [x.name, x]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["Work", "2025", "Q1", "日本語"]));
    expect((byName.get("2025") as any).parent_id).toBe((byName.get("Work") as any).id);
    expect((byName.get("Q1") as any).parent_id).toBe((byName.get("2025") as any).id);
    expect((await c.ok('a3 LIST "" Work*')).length).toBe(3);
    const events = f.t.server.store.read.$client
      .prepare("SELECT type FROM events WHERE grant_id = ? AND type = 'folder.created'")
      .all(grantId);
    expect(events).toHaveLength(4);
  });
});
