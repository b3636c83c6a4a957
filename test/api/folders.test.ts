import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectDeleted, expectError } from "./helpers.ts";

/** /v3/grants/{id}/folders (reference §4.3): six system folders, custom folders, counts. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const folders = (grantId: string, rest = "") => `/v3/grants/${grantId}/folders${rest}`;
const newGrant = async (): Promise<string> => (await createAccount(t)).id;
const create = (grantId: string, body: unknown) => api(t, "POST", folders(grantId), body);

/** POST that must succeed; returns the folder. */
async function mkdir(grantId: string, name: string, parentId?: string): Promise<Record<string, any>> {
  const res = await create(grantId, { name, ...(parentId && { parent_id: parentId }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

async function folder(grantId: string, id: string): Promise<Record<string, any>> {
  const res = await api(t, "GET", folders(grantId, `/${id}`));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

/** total_count and unread_count of a folder. */
async function counts(grantId: string, id: string): Promise<[number, number]> {
  const f = await folder(grantId, id);
  return [f.total_count, f.unread_count];
}

const SYSTEM = [
  ["inbox", "\\Inbox"],
  ["sent", "\\Sent"],
  ["drafts", "\\Drafts"],
  ["trash", "\\Trash"],
  ["junk", "\\Junk"],
  ["archive", "\\Archive"],
] as const;

describe("errors", () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = await newGrant();
  });

  test("an unknown grant is a 404; an unknown folder is a 404", async () => {
    expectError(await api(t, "GET", folders(crypto.randomUUID())), 404, "not_found_error");
    expectError(
      await api(t, "GET", folders(grantId, "/nosuchfolder")),
      404,
      "not_found_error",
      "nosuchfolder",
    );
    expectError(
      await api(t, "PUT", folders(grantId, "/nosuchfolder"), { name: "x" }),
      404,
      "not_found_error",
    );
    expectError(await api(t, "DELETE", folders(grantId, "/nosuchfolder")), 404, "not_found_error");
  });

  test("create: empty, blank, missing, too long or non-string name, unknown field: 400 naming it", async () => {
    expectError(await create(grantId, { name: "" }), 400, "invalid_request_error", "name");
    expectError(await create(grantId, { name: "   " }), 400, "invalid_request_error", "name");
    expectError(await create(grantId, {}), 400, "invalid_request_error", "name");
    expectError(await create(grantId, { name: 7 }), 400, "invalid_request_error", "name");
    expectError(await create(grantId, { name: "x".repeat(1025) }), 400, "invalid_request_error", "name");
    expectError(await create(grantId, { name: "ok", icon: "x" }), 400, "invalid_request_error", "icon");
    expectError(await create(grantId, "not json"), 400, "invalid_request_error");
    const list = await api(t, "GET", folders(grantId));
    expect(list.body.data).toHaveLength(6);
  });

  test("create and rename: names IMAP could not hold are a 400 saying why, and nothing is created", async () => {
    const cases: [string, string][] = [
      ["a\u0000b", "control character"],
      ["line\nbreak", "control character"],
      ["tab\there", "control character"],
      ["\ud800", "unpaired UTF-16 surrogate"],
      ["x\udc00y", "unpaired UTF-16 surrogate"],
      ["..", 'level named ".."'],
      [".", 'level named "."'],
      ["p1/../q", 'level named ".."'],
      ["a//b", "empty or blank level"],
      ["/lead", "empty or blank level"],
      ["a / b", "white space"],
    ];
    const renamed = await mkdir(grantId, "Renamed later");
    for (const [name, why] of cases) {
      const created = await create(grantId, { name });
      expectError(created, 400, "invalid_request_error", "invalid folder name", why);
      const updated = await api(t, "PUT", folders(grantId, `/${renamed.id}`), { name });
      expectError(updated, 400, "invalid_request_error", "invalid folder name", why);
    }
    const names = (await api(t, "GET", folders(grantId))).body.data.map((f: any) => f.name);
    expect(names).toHaveLength(7);
    expect(names).toContain("Renamed later");
    // Unicode, including characters outside the BMP, is fine.
    expect((await mkdir(grantId, "日本語 😀/Sub")).name).toBe("日本語 😀/Sub");
  });

  test("create: a name taken in any case is a 409, system folders' names included", async () => {
    await mkdir(grantId, "Receipts");
    for (const name of ["Receipts", "RECEIPTS", " receipts ", "inbox", "Sent", "TRASH"]) {
      expectError(await create(grantId, { name }), 409, "conflict");
    }
  });

  test("create: an unknown parent is a 404", async () => {
    expectError(await create(grantId, { name: "Orphan", parent_id: "nosuchfolder" }), 404, "not_found_error");
    const list = await api(t, "GET", folders(grantId));
    expect(list.body.data.map((f: any) => f.name)).not.toContain("Orphan");
  });

  test("system folders cannot be renamed, moved or deleted (400)", async () => {
    const parent = await mkdir(grantId, "Parent of nothing");
    for (const [id] of SYSTEM) {
      expectError(
        await api(t, "PUT", folders(grantId, `/${id}`), { name: `My ${id}` }),
        400,
        "invalid_request_error",
      );
      const move = await api(t, "PUT", folders(grantId, `/${id}`), { parent_id: parent.id });
      expectError(move, 400, "invalid_request_error");
      expectError(await api(t, "DELETE", folders(grantId, `/${id}`)), 400, "invalid_request_error", "system");
    }
    const inbox = await folder(grantId, "inbox");
    expect(inbox).toMatchObject({ name: "INBOX" });
    expect("parent_id" in inbox).toBe(false);
  });

  test("another grant's folders are 404s and stay as they are", async () => {
    const mine = await mkdir(grantId, "Mine only");
    const other = await newGrant();
    expectError(await api(t, "GET", folders(other, `/${mine.id}`)), 404, "not_found_error");
    expectError(
      await api(t, "PUT", folders(other, `/${mine.id}`), { name: "Stolen" }),
      404,
      "not_found_error",
    );
    expectError(await api(t, "DELETE", folders(other, `/${mine.id}`)), 404, "not_found_error");
    const parented = await create(other, { name: "Child", parent_id: mine.id });
    expectError(parented, 404, "not_found_error");
    expect((await api(t, "GET", folders(other))).body.data.map((f: any) => f.id)).not.toContain(mine.id);
    expect((await folder(grantId, mine.id)).name).toBe("Mine only");
  });
});

describe("system folders", () => {
  test("six, with ids inbox/sent/drafts/trash/junk/archive, special-use attributes, system_folder", async () => {
    const grantId = await newGrant();
    const res = await api(t, "GET", folders(grantId));
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data.map((f: any) => [f.id, f.attributes])).toEqual(SYSTEM.map(([id, a]) => [id, [a]]));
    for (const f of res.body.data) {
      expect(f).toMatchObject({
        object: "folder",
        grant_id: grantId,
        system_folder: true,
        child_count: 0,
        total_count: 0,
        unread_count: 0,
      });
      expect(typeof f.name).toBe("string");
      // No parent and no colours: absent, not null (Nylas types them as strings).
      expect(Object.keys(f)).not.toContain("parent_id");
      expect(Object.keys(f)).not.toContain("text_color");
    }
    expect((await folder(grantId, "inbox")).name).toBe("INBOX");
    // Google-style upper-case ids work too.
    expect((await folder(grantId, "INBOX")).id).toBe("inbox");
  });
});

describe("custom folders", () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = await newGrant();
  });

  test("create: 200 with the folder object; it is listed after the system folders", async () => {
    const res = await create(grantId, {
      name: "Projects",
      text_color: "#ffffff",
      background_color: "#000000",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({
      object: "folder",
      id: expect.stringMatching(/^[0-9a-z]{25}$/),
      grant_id: grantId,
      name: "Projects",
      system_folder: false,
      attributes: [],
      child_count: 0,
      total_count: 0,
      unread_count: 0,
      text_color: "#ffffff",
      background_color: "#000000",
    });
    const list = await api(t, "GET", folders(grantId));
    expect(list.body.data.at(-1).id).toBe(res.body.data.id);
    expect(await folder(grantId, res.body.data.id)).toEqual(res.body.data);
  });

  test("parent_id: children name their parent, the parent counts them, parent_id lists them", async () => {
    const parent = await mkdir(grantId, "Clients");
    const acme = await mkdir(grantId, "Clients/Acme", parent.id);
    const globex = await mkdir(grantId, "Clients/Globex", parent.id);
    expect(acme.parent_id).toBe(parent.id);
    expect((await folder(grantId, parent.id)).child_count).toBe(2);
    expect(acme.child_count).toBe(0);
    const listed = await api(t, "GET", folders(grantId, `?parent_id=${parent.id}`));
    expect(listed.body.data.map((f: any) => f.id)).toEqual([acme.id, globex.id]);
    const all = await api(t, "GET", folders(grantId));
    expect(all.body.data.find((f: any) => f.id === parent.id).child_count).toBe(2);
  });

  test("a folder with children cannot be deleted (409); once they are gone it can", async () => {
    const parent = await mkdir(grantId, "Busy parent");
    const child = await mkdir(grantId, "Busy child", parent.id);
    expectError(await api(t, "DELETE", folders(grantId, `/${parent.id}`)), 409, "conflict");
    expect((await folder(grantId, child.id)).parent_id).toBe(parent.id);
    expectDeleted(await api(t, "DELETE", folders(grantId, `/${child.id}`)));
    expectDeleted(await api(t, "DELETE", folders(grantId, `/${parent.id}`)));
    expectError(await api(t, "GET", folders(grantId, `/${parent.id}`)), 404, "not_found_error");
  });

  test("rename: the new name is kept; a taken name is a 409; a blank one a 400", async () => {
    const f = await mkdir(grantId, "Old name");
    const other = await mkdir(grantId, "Taken name");
    const res = await api(t, "PUT", folders(grantId, `/${f.id}`), { name: "New name" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ id: f.id, name: "New name", system_folder: false });
    expect((await folder(grantId, f.id)).name).toBe("New name");
    expectError(await api(t, "PUT", folders(grantId, `/${f.id}`), { name: "taken NAME" }), 409, "conflict");
    expectError(
      await api(t, "PUT", folders(grantId, `/${f.id}`), { name: " " }),
      400,
      "invalid_request_error",
    );
    expectError(
      await api(t, "PUT", folders(grantId, `/${f.id}`), { size: 1 }),
      400,
      "invalid_request_error",
      "size",
    );
    // Its own name in another case is fine.
    const recased = await api(t, "PUT", folders(grantId, `/${f.id}`), { name: "NEW NAME" });
    expect(recased.body.data.name).toBe("NEW NAME");
    expect((await folder(grantId, other.id)).name).toBe("Taken name");
  });

  test("move: under another folder; not under itself, an unknown folder or its own descendant", async () => {
    const a = await mkdir(grantId, "Tree A");
    const b = await mkdir(grantId, "Tree B");
    const moved = await api(t, "PUT", folders(grantId, `/${b.id}`), { parent_id: a.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data.parent_id).toBe(a.id);
    expect((await folder(grantId, a.id)).child_count).toBe(1);
    expectError(
      await api(t, "PUT", folders(grantId, `/${a.id}`), { parent_id: a.id }),
      400,
      "invalid_request_error",
    );
    expectError(
      await api(t, "PUT", folders(grantId, `/${a.id}`), { parent_id: "nosuch" }),
      404,
      "not_found_error",
    );
    // A cycle (A under B while B is under A) would orphan both from the tree.
    const cycle = await api(t, "PUT", folders(grantId, `/${a.id}`), { parent_id: b.id });
    expectError(cycle, 400, "invalid_request_error");
    expect((await folder(grantId, a.id)).parent_id).toBeUndefined();
  });

  test("delete: the folder and the messages in it are gone; other folders' messages stay", async () => {
    const f = await mkdir(grantId, "Doomed");
    const inside = [
      await deliver(t, grantId, {}, { folderId: f.id }),
      await deliver(t, grantId, {}, { folderId: f.id }),
    ];
    const outside = await deliver(t, grantId, {});
    expectDeleted(await api(t, "DELETE", folders(grantId, `/${f.id}`)));
    expectError(await api(t, "GET", folders(grantId, `/${f.id}`)), 404, "not_found_error");
    for (const m of inside) {
      expectError(await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}`), 404, "not_found_error");
    }
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages/${outside.id}`)).status).toBe(200);
    // The name is free again.
    await mkdir(grantId, "Doomed");
  });
});

describe("total_count and unread_count", () => {
  test("follow appends, reads, moves and deletes", async () => {
    const grantId = await newGrant();
    const a = await deliver(t, grantId, {});
    const b = await deliver(t, grantId, {});
    await deliver(t, grantId, {}, { flags: { seen: true } });
    expect(await counts(grantId, "inbox")).toEqual([3, 2]);

    const put = (id: string, body: unknown) => api(t, "PUT", `/v3/grants/${grantId}/messages/${id}`, body);
    expect((await put(a.id, { unread: false })).status).toBe(200);
    expect(await counts(grantId, "inbox")).toEqual([3, 1]);

    const custom = await mkdir(grantId, "Later");
    expect((await put(b.id, { folders: [custom.id] })).status).toBe(200);
    expect(await counts(grantId, "inbox")).toEqual([2, 0]);
    expect(await counts(grantId, custom.id)).toEqual([1, 1]);

    expect((await api(t, "DELETE", `/v3/grants/${grantId}/messages/${b.id}`)).status).toBe(200);
    expect(await counts(grantId, custom.id)).toEqual([0, 0]);
    expect(await counts(grantId, "trash")).toEqual([1, 1]);

    expect((await put(b.id, { unread: false })).status).toBe(200);
    expect(await counts(grantId, "trash")).toEqual([1, 0]);

    const listed = await api(t, "GET", folders(grantId));
    const byId = new Map(listed.body.data.map((f: any) => [f.id, [f.total_count, f.unread_count]]));
    expect(byId.get("inbox")).toEqual([2, 0]);
    expect(byId.get("trash")).toEqual([1, 0]);
    expect(byId.get(custom.id)).toEqual([0, 0]);
    expect(byId.get("archive")).toEqual([0, 0]);
  });
});
