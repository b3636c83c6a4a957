/**
 * CalDAV on a calendar of 10,000 events with 100 recurring series (issue 15 has no CalDAV target;
 * these are the figures a calendar app's sync costs): PROPFIND Depth 1 of every ETag (a full
 * Thunderbird refresh), calendar-query for one month, sync-collection after one API change,
 * calendar-multiget of 50 objects with their iCalendar, and GET of one object. Timed from the
 * request sent to the last byte, over HTTP on loopback against the real server in this process.
 * Run: node_modules/.bin/bun bench/caldav.ts [events=10000] [series=100] [requests=20]
 */
import type { EventFields } from "../src/calendar/event-fields.ts";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, median, percentile, report } from "./lib.ts";

const total = Number(process.argv[2] ?? 10_000);
const seriesCount = Number(process.argv[3] ?? 100);
const requests = Number(process.argv[4] ?? 20);
const YEAR_START = Date.UTC(2027, 0, 1) / 1000;
const DAY = 86_400;
const PASSWORD = "MySecureP4ssword2024x";

function fields(i: number): EventFields {
  const start = YEAR_START + Math.floor(((i * 7919) % total) * ((365 * DAY) / total));
  return {
    title: `Event ${i}`,
    description: i % 5 === 0 ? "Agenda: the quarter, the hires, the offsite." : null,
    location: i % 3 === 0 ? `Room ${i % 20}` : null,
    busy: true,
    visibility: null,
    status: "confirmed",
    when:
      i < seriesCount
        ? {
            object: "timespan",
            start_time: YEAR_START + (i % 28) * DAY + 9 * 3600,
            end_time: YEAR_START + (i % 28) * DAY + 9 * 3600 + 1800,
            start_timezone: "Europe/Paris",
            end_timezone: "Europe/Paris",
          }
        : { object: "timespan", start_time: start, end_time: start + 1800 * (1 + (i % 6)) },
    recurrence:
      i < seriesCount
        ? [
            ["RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY;BYDAY=TU", "RRULE:FREQ=MONTHLY;BYMONTHDAY=15"][i % 3] ??
              "",
          ]
        : null,
    participants: [{ email: `p${i % 50}@example.com`, status: "noreply" }],
    organizer: { email: "bench@agents.localhost", name: "" },
    reminders: null,
    conferencing: null,
    metadata: {},
    capacity: null,
    hideParticipants: false,
  };
}

const t = await startTestServer({ AGENTBOX_LOG_LEVEL: "error" });
console.log(`# CalDAV benchmark — ${machine()}`);
const email = `dav-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
const created = await api(t, "POST", "/v3/connect/custom", {
  provider: "nylas",
  settings: { email, app_password: PASSWORD },
});
if (created.status !== 201) throw new Error(`account: ${created.status}`);
const grantId = created.body.data.id as string;
const ids: string[] = [];
for (let i = 0; i < total; i += 500) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(500, total - i) }, (_, j) =>
      t.server.mailboxes.ask(grantId, "createEvent", { calendarId: "primary", fields: fields(i + j) }),
    ),
  );
  ids.push(...batch.map((b) => b.id));
}
const primary = (await api(t, "GET", `/v3/grants/${grantId}/calendars/primary`)).body.data.id as string;
const calendar = `/dav/calendars/${email}/${primary}/`;
const auth = `Basic ${Buffer.from(`${email}:${PASSWORD}`).toString("base64")}`;

async function dav(method: string, path: string, body?: string, depth = "1") {
  const started = performance.now();
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: auth, depth, "content-type": "application/xml" },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { ms, text };
}

const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';
const ETAGS = `<d:propfind ${NS}><d:prop><d:getetag/></d:prop></d:propfind>`;
const MONTH = (m: number) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  const start = `2027${pad(m + 1)}01T000000Z`;
  const end = m === 11 ? "20280101T000000Z" : `2027${pad(m + 2)}01T000000Z`;
  return `<c:calendar-query ${NS}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
};
const SYNC = (token: string) =>
  `<d:sync-collection ${NS}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const MULTIGET = (from: number) =>
  `<c:calendar-multiget ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>${ids
    .slice(from, from + 50)
    .map((id) => `<d:href>${calendar}${id}.ics</d:href>`)
    .join("")}</c:calendar-multiget>`;

async function series(n: number, run: (i: number) => Promise<{ ms: number }>): Promise<number[]> {
  await run(0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await run(i)).ms);
  return out;
}

const propfind = await series(requests, () => dav("PROPFIND", calendar, ETAGS));
const monthHits = (await dav("REPORT", calendar, MONTH(2))).text.split("<D:response>").length - 1;
const month = await series(requests, (i) => dav("REPORT", calendar, MONTH(i % 12)));
const sync: number[] = [];
for (let i = 0; i < requests; i++) {
  const before = (await dav("REPORT", calendar, SYNC(""))).text;
  const token = /<D:sync-token>([^<]*)</.exec(before)?.[1] ?? "";
  await t.server.mailboxes.ask(grantId, "updateEvent", {
    calendarId: primary,
    eventId: ids[seriesCount + i] ?? "",
    change: { title: `Changed ${i}` },
  });
  sync.push((await dav("REPORT", calendar, SYNC(token))).ms);
}
const multiget = await series(requests, (i) => dav("REPORT", calendar, MULTIGET(seriesCount + i * 50)));
const get = await series(requests * 10, (i) =>
  dav("GET", `${calendar}${ids[i % ids.length]}.ics`, undefined, "0"),
);

const ms = (x: number[]) => `${median(x).toFixed(1)} ms / ${percentile(x, 99).toFixed(1)} ms`;
report(`${total} events (${seriesCount} series); median / p99`, {
  "PROPFIND Depth 1, every getetag": ms(propfind),
  [`calendar-query, one month (${monthHits} objects)`]: ms(month),
  "sync-collection after one change": ms(sync),
  "calendar-multiget, 50 objects with calendar-data": ms(multiget),
  "GET one object": ms(get),
});
await t.stop();
