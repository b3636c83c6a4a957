import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { davAccount, davRequest, expectPrecondition, hrefsOf, ics, xmlHeaders } from "./helpers.ts";

/** CalDAV over raw HTTP: discovery, each method, each error path, and both surfaces agreeing. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const PROPFIND = (props: string) =>
  `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/"><d:prop>${props}</d:prop></d:propfind>`;
const SYNC = (token: string) =>
  `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const tokenOf = (xml: string) => /<D:sync-token>([^<]*)<\/D:sync-token>/.exec(xml)?.[1] ?? "";
const PUT_ICS = { "content-type": "text/calendar; charset=utf-8" };

async function eventLog(grantId: string, types: string): Promise<any[]> {
  const res = await api(t, "GET", `/v3/events?after=0&grant_id=${grantId}&types=${types}&limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

describe("discovery", () => {
  test("/.well-known/caldav leads to /dav/; OPTIONS says calendar-access", async () => {
    const wk = await davRequest(t, "PROPFIND", "/.well-known/caldav");
    expect(wk.status).toBe(301);
    expect(wk.headers.get("location")).toBe("/dav/");
    const options = await davRequest(t, "OPTIONS", "/dav/");
    expect(options.status).toBe(200);
    expect(options.headers.get("dav")).toContain("calendar-access");
    expect(options.headers.get("dav")).toMatch(/^1, 2/);
    expect(options.headers.get("allow")).toContain("REPORT");
  });

  test("principal, calendar home, then the calendars with their properties", async () => {
    const a = await davAccount(t);
    const root = await a.dav("PROPFIND", "/dav/", {
      headers: xmlHeaders("0"),
      body: PROPFIND("<d:current-user-principal/>"),
    });
    expect(root.status).toBe(207);
    const principal = `/dav/principals/${a.email}/`;
    expect(root.text).toContain(`<D:current-user-principal><D:href>${principal}</D:href>`);
    const p = await a.dav("PROPFIND", principal, {
      headers: xmlHeaders("0"),
      body: PROPFIND("<c:calendar-home-set/><c:calendar-user-address-set/><d:nosuch/>"),
    });
    expect(p.text).toContain(`<C:calendar-home-set><D:href>${a.home}</D:href>`);
    expect(p.text).toContain(`mailto:${a.email}`);
    expect(p.text).toMatch(/<D:nosuch\/><\/D:prop><D:status>HTTP\/1.1 404/);
    await api(t, "PUT", `/v3/grants/${a.grantId}/calendars/primary`, { hex_color: "#336699", name: "Agent" });
    const home = await a.dav("PROPFIND", a.home, {
      headers: xmlHeaders("1"),
      body: PROPFIND(
        "<d:resourcetype/><d:displayname/><a:calendar-color/><cs:getctag/><d:sync-token/><c:supported-calendar-component-set/>",
      ),
    });
    expect(hrefsOf(home.text)).toEqual([a.home, a.calendar]);
    expect(home.text).toContain("<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>");
    expect(home.text).toContain("<D:displayname>Agent</D:displayname>");
    expect(home.text).toContain("<A:calendar-color>#336699</A:calendar-color>");
    expect(home.text).toContain('<C:comp name="VEVENT"/>');
    expect(home.text).toMatch(/<CS:getctag>http:\/\/agentbox.dev\/ns\/sync\/\d+<\/CS:getctag>/);
  });

  test("Depth infinity is refused; a body that is not XML is a 400", async () => {
    const a = await davAccount(t);
    expectPrecondition(
      await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("infinity") }),
      403,
      "<D:propfind-finite-depth/>",
    );
    expect(
      (await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("0"), body: "<d:propfind" })).status,
    ).toBe(400);
    expect(
      (
        await a.dav("PROPFIND", a.calendar, {
          headers: xmlHeaders("0"),
          body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><d:propfind xmlns:d="DAV:"/>',
        })
      ).status,
    ).toBe(400);
  });
});

describe("authentication and access", () => {
  test("no credentials, a wrong password and an unknown account: the same 401 with a Basic challenge", async () => {
    const a = await davAccount(t);
    const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;
    const answers = [
      await davRequest(t, "PROPFIND", a.calendar, { headers: xmlHeaders("0") }),
      await davRequest(t, "PROPFIND", a.calendar, {
        headers: { ...xmlHeaders("0"), authorization: basic(a.email, "wrong-password-123456") },
      }),
      await davRequest(t, "PROPFIND", a.calendar, {
        headers: {
          ...xmlHeaders("0"),
          authorization: basic("nobody@agents.localhost", "wrong-password-123456"),
        },
      }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    }
    expect(answers[1]?.text.replace(/\s/g, "")).toBe(answers[2]?.text.replace(/\s/g, ""));
    // An API key is not a CalDAV credential, nor is CalDAV's password an API key.
    expect(
      (await davRequest(t, "PROPFIND", a.calendar, { headers: { authorization: `Bearer ${t.apiKey}` } }))
        .status,
    ).toBe(401);
  });

  test("another account's calendars are forbidden; an unknown calendar or object is a 404", async () => {
    const a = await davAccount(t);
    const b = await davAccount(t);
    expectPrecondition(
      await a.dav("PROPFIND", b.calendar, { headers: xmlHeaders("0") }),
      403,
      "<D:need-privileges/>",
    );
    expect((await a.dav("GET", `${b.calendar}x.ics`)).status).toBe(403);
    expect((await a.dav("PUT", `${b.calendar}x.ics`, { headers: PUT_ICS, body: ics("x") })).status).toBe(403);
    // b's calendar id under a's own home is not a's: not found.
    expect((await a.dav("PROPFIND", `${a.home}${b.primaryId}/`, { headers: xmlHeaders("0") })).status).toBe(
      404,
    );
    expect((await a.dav("GET", `${a.calendar}nosuch.ics`)).status).toBe(404);
    expect((await a.dav("DELETE", `${a.calendar}nosuch.ics`)).status).toBe(404);
    expect((await a.dav("PROPFIND", "/dav/elsewhere/", { headers: xmlHeaders("0") })).status).toBe(404);
    const nothing = await a.dav("GET", `${a.calendar}nosuch.ics`);
    expect(nothing.text).toContain("<D:error");
  });
});

describe("objects", () => {
  test("PUT, GET, If-None-Match and If-Match (412), DELETE", async () => {
    const a = await davAccount(t);
    const url = `${a.calendar}planning.ics`;
    const created = await a.dav("PUT", url, {
      headers: { ...PUT_ICS, "if-none-match": "*" },
      body: ics("plan-1"),
    });
    expect(created.status).toBe(201);
    const etag = created.headers.get("etag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    const got = await a.dav("GET", url);
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(etag);
    expect(got.headers.get("content-type")).toContain("text/calendar");
    expect(got.text).toContain("UID:plan-1");
    expect(got.text).toContain("SUMMARY:Planning");
    expect((await a.dav("GET", url, { headers: { "if-none-match": etag } })).status).toBe(304);

    expect(
      (await a.dav("PUT", url, { headers: { ...PUT_ICS, "if-none-match": "*" }, body: ics("plan-1") }))
        .status,
    ).toBe(412);
    expect(
      (await a.dav("PUT", url, { headers: { ...PUT_ICS, "if-match": '"stale"' }, body: ics("plan-1") }))
        .status,
    ).toBe(412);
    expect(
      (
        await a.dav("PUT", `${a.calendar}other.ics`, {
          headers: { ...PUT_ICS, "if-match": "*" },
          body: ics("o-1"),
        })
      ).status,
    ).toBe(412);
    const updated = await a.dav("PUT", url, {
      headers: { ...PUT_ICS, "if-match": etag },
      body: ics("plan-1", ["DTSTART:20260302T150000Z", "DTEND:20260302T160000Z", "SUMMARY:Planning, later"]),
    });
    expect(updated.status).toBe(204);
    const newEtag = updated.headers.get("etag") ?? "";
    expect(newEtag).not.toBe(etag);
    expect((await a.dav("DELETE", url, { headers: { "if-match": etag } })).status).toBe(412);
    expect((await a.dav("DELETE", url, { headers: { "if-match": newEtag } })).status).toBe(204);
    expect((await a.dav("GET", url)).status).toBe(404);
  });

  test("bad bodies: 415 for another type, 400 for unreadable iCalendar, 403 for a VTODO or two UIDs, 409 for a UID taken, 413 past the size limit", async () => {
    const a = await davAccount(t);
    const url = `${a.calendar}bad.ics`;
    expectPrecondition(
      await a.dav("PUT", url, { headers: { "content-type": "application/json" }, body: "{}" }),
      415,
      "<C:supported-calendar-data/>",
    );
    expectPrecondition(
      await a.dav("PUT", url, { headers: PUT_ICS, body: "BEGIN:VCALENDAR\r\nnot ical" }),
      400,
      "<C:valid-calendar-data/>",
    );
    expectPrecondition(
      await a.dav("PUT", url, {
        headers: PUT_ICS,
        body: ics("rr", ["DTSTART:20260302T140000Z", "RRULE:FREQ=SOMETIMES"]),
      }),
      400,
      "<C:valid-calendar-data/>",
    );
    const todo =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:t1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    expectPrecondition(
      await a.dav("PUT", url, { headers: PUT_ICS, body: todo }),
      403,
      "<C:supported-calendar-component/>",
    );
    const twoUids = ics(
      "one",
      [],
      "BEGIN:VEVENT\r\nUID:two\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260303T100000Z\r\nEND:VEVENT",
    );
    expectPrecondition(
      await a.dav("PUT", url, { headers: PUT_ICS, body: twoUids }),
      403,
      "<C:valid-calendar-object-resource/>",
    );
    expect(
      (await a.dav("PUT", `${a.calendar}first.ics`, { headers: PUT_ICS, body: ics("same-uid") })).status,
    ).toBe(201);
    const conflict = await a.dav("PUT", `${a.calendar}second.ics`, {
      headers: PUT_ICS,
      body: ics("same-uid"),
    });
    expectPrecondition(conflict, 409, "<C:no-uid-conflict>");
    expect(conflict.text).toContain(`${a.calendar}first.ics`);
    const huge = ics("big", ["DTSTART:20260302T140000Z", `DESCRIPTION:${"x".repeat(1_100_000)}`]);
    expectPrecondition(
      await a.dav("PUT", url, { headers: PUT_ICS, body: huge }),
      413,
      "<C:max-resource-size/>",
    );
    expect((await a.dav("GET", url)).status).toBe(404);

    // The same without a Content-Length (chunked): refused once 1 MiB has streamed in.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 40) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(`${t.url}${url}`, {
      method: "PUT",
      headers: { ...PUT_ICS, authorization: a.auth },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.text()).toContain("<C:max-resource-size/>");
  });
});

describe("the two surfaces", () => {
  test("a PUT over CalDAV fires event.created / event.updated / event.deleted as the API does", async () => {
    const a = await davAccount(t);
    const viaApi = await api(t, "POST", `/v3/grants/${a.grantId}/events?calendar_id=primary`, {
      title: "From the API",
      when: { start_time: 1_772_460_000, end_time: 1_772_463_600 },
    });
    const url = `${a.calendar}dav.ics`;
    expect((await a.dav("PUT", url, { headers: PUT_ICS, body: ics("dav-1") })).status).toBe(201);
    const created = await eventLog(a.grantId, "event.created");
    expect(created.length).toBe(2);
    const [fromApi, fromDav] = created.map((e) => e.data.object);
    expect(Object.keys(fromDav).sort()).toEqual(Object.keys(fromApi).sort());
    expect(fromApi.id).toBe(viaApi.body.data.id);
    const event = await api(t, "GET", `/v3/grants/${a.grantId}/events/${fromDav.id}?calendar_id=primary`);
    expect(event.body.data).toMatchObject({ title: "Planning", ical_uid: "dav-1", calendar_id: a.primaryId });
    expect(event.body.data.when).toMatchObject({ start_time: 1_772_460_000, end_time: 1_772_463_600 });

    await a.dav("PUT", url, {
      headers: PUT_ICS,
      body: ics("dav-1", ["DTSTART:20260302T140000Z", "SUMMARY:Renamed"]),
    });
    const updated = await eventLog(a.grantId, "event.updated");
    expect(updated.map((e) => e.data.object.id)).toEqual([fromDav.id]);
    await a.dav("DELETE", url);
    const deleted = await eventLog(a.grantId, "event.deleted");
    expect(deleted.map((e) => e.data.object.id)).toEqual([fromDav.id]);
  });

  test("an API change gives the object a new ETag and the calendar a new sync-token; sync-collection reports changes and deletions", async () => {
    const a = await davAccount(t);
    const first = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC("") });
    expect(first.status).toBe(207);
    expect(hrefsOf(first.text)).toEqual([]);
    const token0 = tokenOf(first.text);

    const made = await api(t, "POST", `/v3/grants/${a.grantId}/events?calendar_id=primary`, {
      title: "Lunch",
      when: { start_time: 1_772_460_000, end_time: 1_772_463_600 },
    });
    const id = made.body.data.id;
    const href = `${a.calendar}${id}.ics`;
    const got = await a.dav("GET", href);
    expect(got.status).toBe(200);
    expect(got.text).toContain("SUMMARY:Lunch");
    const etag1 = got.headers.get("etag");

    const second = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC(token0) });
    expect(hrefsOf(second.text)).toEqual([href]);
    const token1 = tokenOf(second.text);
    expect(token1).not.toBe(token0);
    const quiet = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC(token1) });
    expect(hrefsOf(quiet.text)).toEqual([]);
    expect(tokenOf(quiet.text)).toBe(token1);

    await api(t, "PUT", `/v3/grants/${a.grantId}/events/${id}?calendar_id=primary`, { title: "Long lunch" });
    const changed = await a.dav("GET", href);
    expect(changed.headers.get("etag")).not.toBe(etag1);
    expect(changed.text).toContain("SUMMARY:Long lunch");
    const third = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC(token1) });
    expect(hrefsOf(third.text)).toEqual([href]);
    const token2 = tokenOf(third.text);

    await api(t, "DELETE", `/v3/grants/${a.grantId}/events/${id}?calendar_id=primary`);
    const fourth = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC(token2) });
    expect(fourth.text).toContain(
      `<D:response><D:href>${href}</D:href><D:status>HTTP/1.1 404 Not Found</D:status>`,
    );
    // From the beginning, a deleted object is simply absent.
    const again = await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC("") });
    expect(hrefsOf(again.text)).toEqual([]);

    expectPrecondition(
      await a.dav("REPORT", a.calendar, {
        headers: xmlHeaders("1"),
        body: SYNC("http://agentbox.dev/ns/sync/999999"),
      }),
      403,
      "<D:valid-sync-token/>",
    );
    expectPrecondition(
      await a.dav("REPORT", a.calendar, { headers: xmlHeaders("1"), body: SYNC("urn:other") }),
      403,
      "<D:valid-sync-token/>",
    );
  });

  test("a series with a moved occurrence in one resource; an occurrence the API deletes becomes an EXDATE", async () => {
    const a = await davAccount(t);
    const url = `${a.calendar}weekly.ics`;
    const body = ics(
      "weekly-1",
      [
        "DTSTART;TZID=Europe/Paris:20260302T100000",
        "DTEND;TZID=Europe/Paris:20260302T110000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "SUMMARY:Weekly",
      ],
      "BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20260309T100000\r\nDTSTART;TZID=Europe/Paris:20260309T140000\r\nDTEND;TZID=Europe/Paris:20260309T150000\r\nSUMMARY:Weekly (moved)\r\nEND:VEVENT",
    );
    expect((await a.dav("PUT", url, { headers: PUT_ICS, body })).status).toBe(201);
    const list = await api(
      t,
      "GET",
      `/v3/grants/${a.grantId}/events?calendar_id=primary&start=1772000000&end=1776000000`,
    );
    const titles = list.body.data.map((e: { title: string }) => e.title);
    expect(titles).toEqual(["Weekly", "Weekly (moved)", "Weekly", "Weekly"]);
    const moved = list.body.data[1];
    expect(moved.when.start_time).toBe(Date.UTC(2026, 2, 9, 13) / 1000);
    expect(moved.master_event_id).toBe(list.body.data[0].master_event_id);

    // The API deletes the third occurrence (March 16): CalDAV shows it as an EXDATE of the series.
    await api(t, "DELETE", `/v3/grants/${a.grantId}/events/${list.body.data[2].id}?calendar_id=primary`);
    const text = (await a.dav("GET", url)).text;
    expect(text).toContain("EXDATE:20260316T090000Z");
    expect(text).toContain("RECURRENCE-ID;TZID=Europe/Paris:20260309T100000");
    expect(text).toContain("SUMMARY:Weekly (moved)");

    // calendar-data with CALDAV:expand: one VEVENT per instance in the window, in UTC, no RRULE.
    const expanded = await a.dav("REPORT", a.calendar, {
      headers: xmlHeaders("1"),
      body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="20260301T000000Z" end="20260320T000000Z"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>',
    });
    expect(expanded.status).toBe(207);
    expect(expanded.text).not.toContain("RRULE");
    expect(expanded.text.match(/BEGIN:VEVENT/g)?.length).toBe(2);
    expect([...expanded.text.matchAll(/RECURRENCE-ID:(\w+)/g)].map((m) => m[1])).toEqual([
      "20260302T090000Z",
      "20260309T090000Z",
    ]);
    expect(expanded.text).toContain("DTSTART:20260309T130000Z");

    // calendar-query by time range: the week of the moved occurrence finds the series; a week without one does not.
    const query = (start: string, end: string) =>
      a.dav("REPORT", a.calendar, {
        headers: xmlHeaders("1"),
        body: `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
      });
    const hit = await query("20260309T130000Z", "20260309T140000Z");
    expect(hrefsOf(hit.text)).toEqual([url]);
    expect(hit.text).toContain("BEGIN:VCALENDAR");
    expect(hrefsOf((await query("20260309T090000Z", "20260309T100000Z")).text)).toEqual([]);
    expect(hrefsOf((await query("20260316T090000Z", "20260316T100000Z")).text)).toEqual([]);
    expect(hrefsOf((await query("20260323T090000Z", "20260323T100000Z")).text)).toEqual([url]);
    expectPrecondition(
      await a.dav("REPORT", a.calendar, {
        headers: xmlHeaders("1"),
        body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><c:filter><c:comp-filter name="VEVENT"/></c:filter></c:calendar-query>',
      }),
      403,
      "<C:valid-filter/>",
    );
  });

  test("CLASS and VALARM are the event's visibility and reminders; one ETag is one representation", async () => {
    const a = await davAccount(t);
    const url = `${a.calendar}alarm.ics`;
    const body = ics("alarm-1", [
      "DTSTART:20260302T140000Z",
      "DTEND:20260302T150000Z",
      "SUMMARY:Dentist",
      "CLASS:PRIVATE",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      "DESCRIPTION:Dentist",
      "TRIGGER:-PT15M",
      "END:VALARM",
    ]);
    expect((await a.dav("PUT", url, { headers: PUT_ICS, body })).status).toBe(201);
    const [event] = (
      await api(t, "GET", `/v3/grants/${a.grantId}/events?calendar_id=primary&ical_uid=alarm-1`)
    ).body.data;
    expect(event.visibility).toBe("private");
    expect(event.reminders).toEqual({
      use_default: false,
      overrides: [{ reminder_minutes: 15, reminder_method: "popup" }],
    });
    await api(t, "PUT", `/v3/grants/${a.grantId}/events/${event.id}?calendar_id=primary`, {
      reminders: { use_default: false, overrides: [{ reminder_minutes: 60, reminder_method: "email" }] },
      visibility: "public",
    });
    const first = await a.dav("GET", url);
    expect(first.text).toContain("CLASS:PUBLIC");
    expect(first.text).toMatch(/BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT1H\r\n/);
    await Bun.sleep(1100);
    const second = await a.dav("GET", url);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.text).toBe(first.text);
  });

  test("a TZID the runtime does not know is read through the calendar's own VTIMEZONE (Outlook's Windows names)", async () => {
    const a = await davAccount(t);
    const vtimezone = [
      "BEGIN:VTIMEZONE",
      "TZID:W. Europe Standard Time",
      "BEGIN:STANDARD",
      "DTSTART:16010101T030000",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "DTSTART:16010101T020000",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
    ].join("\r\n");
    for (const [uid, day, utcHour] of [
      ["summer", "20260701", 8],
      ["winter", "20260115", 9],
    ] as const) {
      const body = ics(
        uid,
        [
          `DTSTART;TZID=W. Europe Standard Time:${day}T100000`,
          `DTEND;TZID=W. Europe Standard Time:${day}T110000`,
          "SUMMARY:Outlook",
        ],
        vtimezone,
      );
      expect((await a.dav("PUT", `${a.calendar}${uid}.ics`, { headers: PUT_ICS, body })).status).toBe(201);
      const [event] = (
        await api(t, "GET", `/v3/grants/${a.grantId}/events?calendar_id=primary&ical_uid=${uid}&start=0`)
      ).body.data;
      const start =
        Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6)), utcHour) / 1000;
      expect(event.when).toMatchObject({ start_time: start, end_time: start + 3600 });
    }
  });

  test("open-ended time ranges on a series that never ends; a time range with a prop-filter", async () => {
    const a = await davAccount(t);
    await a.dav("PUT", `${a.calendar}daily.ics`, {
      headers: PUT_ICS,
      body: ics("daily", [
        "DTSTART:20260302T080000Z",
        "DTEND:20260302T081500Z",
        "RRULE:FREQ=DAILY",
        "SUMMARY:Daily",
      ]),
    });
    await a.dav("PUT", `${a.calendar}once.ics`, { headers: PUT_ICS, body: ics("once") });
    const query = (range: string, extra = "") =>
      a.dav("REPORT", a.calendar, {
        headers: xmlHeaders("1"),
        body: `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${range}${extra}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
      });
    expect(hrefsOf((await query('<c:time-range start="20300101T000000Z"/>')).text)).toEqual([
      `${a.calendar}daily.ics`,
    ]);
    expect(hrefsOf((await query('<c:time-range end="20260302T080000Z"/>')).text)).toEqual([]);
    expect(hrefsOf((await query('<c:time-range end="20260302T140001Z"/>')).text).sort()).toEqual([
      `${a.calendar}daily.ics`,
      `${a.calendar}once.ics`,
    ]);
    const filtered = await query(
      '<c:time-range start="20260302T000000Z" end="20260303T000000Z"/>',
      '<c:prop-filter name="SUMMARY"><c:text-match negate-condition="yes">daily</c:text-match></c:prop-filter>',
    );
    expect(hrefsOf(filtered.text)).toEqual([`${a.calendar}once.ics`]);
    expectPrecondition(await query('<c:time-range start="tomorrow"/>'), 403, "<C:valid-filter/>");
  });

  test("free-busy-query: busy, non-cancelled instances of the calendar, clipped to the window", async () => {
    const a = await davAccount(t);
    await a.dav("PUT", `${a.calendar}busy.ics`, {
      headers: PUT_ICS,
      body: ics("busy", ["DTSTART:20260302T140000Z", "DTEND:20260302T150000Z", "SUMMARY:Busy"]),
    });
    await a.dav("PUT", `${a.calendar}free.ics`, {
      headers: PUT_ICS,
      body: ics("free", ["DTSTART:20260302T100000Z", "DTEND:20260302T110000Z", "TRANSP:TRANSPARENT"]),
    });
    await a.dav("PUT", `${a.calendar}daily.ics`, {
      headers: PUT_ICS,
      body: ics("daily", [
        "DTSTART:20260301T080000Z",
        "DTEND:20260301T090000Z",
        "RRULE:FREQ=DAILY",
        "STATUS:TENTATIVE",
      ]),
    });
    const res = await a.dav("REPORT", a.calendar, {
      headers: xmlHeaders("1"),
      body: '<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20260302T083000Z" end="20260303T000000Z"/></c:free-busy-query>',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    expect(res.text).toContain("BEGIN:VFREEBUSY");
    expect(res.text.match(/^FREEBUSY.*$/gm)).toEqual([
      "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260302T083000Z/20260302T090000Z",
      "FREEBUSY:20260302T140000Z/20260302T150000Z",
    ]);
    expect(
      (
        await a.dav("REPORT", a.calendar, {
          headers: xmlHeaders("1"),
          body: '<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>',
        })
      ).status,
    ).toBe(400);
  });

  test("calendar-multiget returns the objects named, a 404 for the others; a UID prop-filter finds one", async () => {
    const a = await davAccount(t);
    await a.dav("PUT", `${a.calendar}one.ics`, { headers: PUT_ICS, body: ics("uid-one") });
    await a.dav("PUT", `${a.calendar}two.ics`, { headers: PUT_ICS, body: ics("uid-two") });
    const res = await a.dav("REPORT", a.calendar, {
      headers: xmlHeaders("1"),
      body: `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><d:href>${a.calendar}two.ics</d:href><d:href>${t.url}${a.calendar}one.ics</d:href><d:href>${a.calendar}none.ics</d:href></c:calendar-multiget>`,
    });
    expect(res.status).toBe(207);
    expect(hrefsOf(res.text)).toEqual([
      `${a.calendar}two.ics`,
      `${a.calendar}one.ics`,
      `${a.calendar}none.ics`,
    ]);
    expect(res.text).toContain("UID:uid-two");
    expect(res.text).toContain("UID:uid-one");
    expect(res.text).toContain(`${a.calendar}none.ics</D:href><D:status>HTTP/1.1 404`);
    const byUid = await a.dav("REPORT", a.calendar, {
      headers: xmlHeaders("1"),
      body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:prop-filter name="UID"><c:text-match collation="i;octet">uid-two</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>',
    });
    expect(hrefsOf(byUid.text)).toEqual([`${a.calendar}two.ics`]);
    expectPrecondition(
      await a.dav("REPORT", a.calendar, {
        headers: xmlHeaders("1"),
        body: '<d:expand-property xmlns:d="DAV:"/>',
      }),
      403,
      "<D:supported-report/>",
    );
  });

  test("MKCALENDAR and PROPPATCH make and rename a calendar the API sees; DELETE removes it, never the primary", async () => {
    const a = await davAccount(t);
    const url = `${a.home}team/`;
    const made = await a.dav("MKCALENDAR", url, {
      headers: xmlHeaders(),
      body: '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><d:displayname>Team</d:displayname><a:calendar-color>#ff0000</a:calendar-color></d:prop></d:set></c:mkcalendar>',
    });
    expect(made.status).toBe(201);
    const shown = await api(t, "GET", `/v3/grants/${a.grantId}/calendars/team`);
    expect(shown.body.data).toMatchObject({ name: "Team", hex_color: "#ff0000", is_primary: false });
    expectPrecondition(await a.dav("MKCALENDAR", url), 405, "<D:resource-must-be-null/>");

    const patched = await a.dav("PROPPATCH", url, {
      headers: xmlHeaders(),
      body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Team A</d:displayname></d:prop></d:set></d:propertyupdate>',
    });
    expect(patched.status).toBe(207);
    expect(patched.text).toContain("HTTP/1.1 200 OK");
    expect((await api(t, "GET", `/v3/grants/${a.grantId}/calendars/team`)).body.data.name).toBe("Team A");
    const refused = await a.dav("PROPPATCH", url, {
      headers: xmlHeaders(),
      body: '<d:propertyupdate xmlns:d="DAV:" xmlns:x="urn:x"><d:set><d:prop><d:displayname>Never</d:displayname><x:unknown>1</x:unknown></d:prop></d:set></d:propertyupdate>',
    });
    expect(refused.text).toContain("HTTP/1.1 403 Forbidden");
    expect(refused.text).toContain("HTTP/1.1 424 Failed Dependency");
    expect((await api(t, "GET", `/v3/grants/${a.grantId}/calendars/team`)).body.data.name).toBe("Team A");

    expect((await a.dav("DELETE", a.calendar)).status).toBe(403);
    expect((await a.dav("DELETE", url)).status).toBe(204);
    expect((await api(t, "GET", `/v3/grants/${a.grantId}/calendars/team`)).status).toBe(404);
  });
});
