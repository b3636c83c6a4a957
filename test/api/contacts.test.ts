import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas from "nylas";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createApplication, expectDeleted, expectError } from "./helpers.ts";
import { account, call, expectOk } from "./send-helpers.ts";

/** /v3/grants/{id}/contacts: an agent account's address book (contact groups do not apply). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const contacts = (grantId: string, rest = "") => `/v3/grants/${grantId}/contacts${rest}`;
const KIM = {
  given_name: "Kim",
  surname: "Lee",
  emails: [{ email: "Kim@Example.com", type: "work" }],
  phone_numbers: [{ number: "+351 210 000 000", type: "mobile" }],
  web_pages: [{ url: "https://kim.example", type: "home" }],
  notes: "met at the fair",
};

describe("through the official SDK", () => {
  test("create, find, list, update (fields given replace the stored ones), destroy", async () => {
    const a = await account(t, "contacts-sdk");
    const nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
    const created = await nylas.contacts.create({ identifier: a.id, requestBody: KIM as never });
    expect(created.data).toMatchObject({
      givenName: "Kim",
      surname: "Lee",
      grantId: a.id,
      source: "address_book",
    });
    const found = await nylas.contacts.find({
      identifier: a.id,
      contactId: created.data.id,
      queryParams: {},
    });
    expect(found.data.emails).toEqual([{ email: "Kim@Example.com", type: "work" }]);
    const updated = await nylas.contacts.update({
      identifier: a.id,
      contactId: created.data.id,
      requestBody: { emails: [{ email: "kim@new.example" }], jobTitle: "CTO" } as never,
    });
    expect(updated.data).toMatchObject({
      jobTitle: "CTO",
      surname: "Lee",
      emails: [{ email: "kim@new.example" }],
    });
    const listed = await nylas.contacts.list({ identifier: a.id, queryParams: {} });
    expect(listed.data.map((c) => c.id)).toEqual([created.data.id]);
    await nylas.contacts.destroy({ identifier: a.id, contactId: created.data.id });
    expectError(await call(t, "GET", contacts(a.id, `/${created.data.id}`)), 404, "not_found_error");
  });
});

describe("webhooks", () => {
  test("create, update and delete are contact.created, contact.updated, contact.deleted in the event log; a 404 records none", async () => {
    const a = await account(t, "contacts-events");
    const created = expectOk(await call(t, "POST", contacts(a.id), { json: KIM }));
    expectOk(await call(t, "PUT", contacts(a.id, `/${created.id}`), { json: { job_title: "CTO" } }));
    expectError(
      await call(t, "PUT", contacts(a.id, "/nope"), { json: { job_title: "x" } }),
      404,
      "not_found_error",
      "contact",
    );
    expectDeleted(await api(t, "DELETE", contacts(a.id, `/${created.id}`)));
    expectError(await api(t, "DELETE", contacts(a.id, `/${created.id}`)), 404, "not_found_error", "contact");
    const types = "contact.created,contact.updated,contact.deleted";
    const events = (await api(t, "GET", `/v3/events?grant_id=${a.id}&types=${types}&limit=50`)).body.data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(types.split(","));
    for (const e of events) {
      expect(e.object ?? e.data?.object).toMatchObject({ id: created.id, grant_id: a.id, object: "contact" });
    }
  });
});

describe("lists and filters", () => {
  test("email (any case) and phone_number filters; paging; other sources are empty", async () => {
    const a = await account(t, "contacts-list");
    const kim = expectOk(await call(t, "POST", contacts(a.id), { json: KIM }));
    const bo = expectOk(
      await call(t, "POST", contacts(a.id), {
        json: { given_name: "Bo", emails: [{ email: "bo@example.com" }] },
      }),
    );
    const ids = async (q: string) =>
      (await call(t, "GET", contacts(a.id, q))).body.data.map((c: any) => c.id);
    expect(await ids("?email=kim@example.COM")).toEqual([kim.id]);
    expect(await ids(`?phone_number=${encodeURIComponent("+351 210 000 000")}`)).toEqual([kim.id]);
    expect(await ids("?email=nobody@example.com")).toEqual([]);
    expect(await ids("?source=inbox")).toEqual([]);
    const first = await call(t, "GET", contacts(a.id, "?limit=1"));
    expect(first.body.data.map((c: any) => c.id)).toEqual([kim.id]);
    const second = await call(t, "GET", contacts(a.id, `?limit=1&page_token=${first.body.next_cursor}`));
    expect(second.body.data.map((c: any) => c.id)).toEqual([bo.id]);
    expect(second.body.next_cursor).toBeNull();
  });
});

describe("refusals and isolation", () => {
  test("given_name required; bad types, dates and unknown fields are 400s naming the field", async () => {
    const a = await account(t, "contacts-bad");
    const bad = async (json: unknown, ...parts: string[]) =>
      expectError(await call(t, "POST", contacts(a.id), { json }), 400, "invalid_request_error", ...parts);
    await bad({ surname: "x" }, "given_name");
    await bad({ given_name: "x", emails: [{ email: "a@b.c", type: "pager" }] }, "emails[0].type");
    await bad({ given_name: "x", emails: [{ type: "work" }] }, "emails[0].email");
    await bad({ given_name: "x", birthday: "April 1st" }, "birthday");
    await bad({ given_name: "x", picture: "y" }, "picture");
  });

  test("contact groups do not apply: a 400 for /contacts/groups, for groups on a contact and as a filter", async () => {
    const a = await account(t, "contacts-groups");
    expectError(
      await call(t, "GET", contacts(a.id, "/groups")),
      400,
      "invalid_request_error",
      "contact groups",
    );
    expectError(
      await call(t, "POST", contacts(a.id), { json: { given_name: "x", groups: [{ id: "g1" }] } }),
      400,
      "invalid_request_error",
      "groups",
    );
    expectError(await call(t, "GET", contacts(a.id, "?group=g1")), 400, "invalid_request_error", "group");
  });

  test("another grant's or application's contact is a 404", async () => {
    const a = await account(t, "contacts-own");
    const b = await account(t, "contacts-other");
    const kim = expectOk(await call(t, "POST", contacts(a.id), { json: KIM }));
    expectError(await call(t, "GET", contacts(b.id, `/${kim.id}`)), 404, "not_found_error");
    expectError(
      await call(t, "PUT", contacts(b.id, `/${kim.id}`), { json: { notes: "x" } }),
      404,
      "not_found_error",
    );
    const other = await createApplication(t, "contacts app");
    expect((await api(t, "GET", contacts(a.id), undefined, other.key)).status).toBe(404);
    expectDeleted(await call(t, "DELETE", contacts(a.id, `/${kim.id}`)));
  });
});
