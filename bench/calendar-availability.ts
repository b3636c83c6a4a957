/**
 * Availability for 5 participants over 2 weeks in 30-minute slots (issue 15): p99 < 50 ms, timed
 * from the request sent to the last byte of its answer, over HTTP against the real server in this
 * process. Each participant's calendar holds `events` single events over the year (a few hundred
 * in the two weeks) and 10 recurring series (daily stand-ups, weekly meetings); the requests
 * alternate collective and max-availability, with buffers and open hours in New York.
 * Run: node_modules/.bin/bun bench/calendar-availability.ts [events=2000] [requests=200]
 */
import type { EventFields } from "../src/calendar/event-fields.ts";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, median, percentile, report } from "./lib.ts";

const perAccount = Number(process.argv[2] ?? 2000);
const requests = Number(process.argv[3] ?? 200);
const YEAR_START = Date.UTC(2027, 0, 1) / 1000;
const DAY = 86_400;

function fields(i: number): EventFields {
  const base: EventFields = {
    title: `Busy ${i}`,
    description: null,
    location: null,
    busy: i % 9 !== 0,
    visibility: null,
    status: "confirmed",
    when: { object: "date", date: "2027-01-01" },
    recurrence: null,
    participants: [],
    organizer: null,
    reminders: null,
    conferencing: null,
    metadata: {},
    capacity: null,
    hideParticipants: false,
  };
  if (i < 10) {
    const start = YEAR_START + (i % 5) * DAY + (13 + i) * 3600;
    return {
      ...base,
      when: {
        object: "timespan",
        start_time: start,
        end_time: start + 1800,
        start_timezone: "America/New_York",
        end_timezone: "America/New_York",
      },
      recurrence: [i % 2 ? "RRULE:FREQ=DAILY" : "RRULE:FREQ=WEEKLY;BYDAY=MO,WE"],
    };
  }
  const start = YEAR_START + Math.floor((((i * 7919) % perAccount) * ((365 * DAY) / perAccount)) / 900) * 900;
  return { ...base, when: { object: "timespan", start_time: start, end_time: start + 1800 * (1 + (i % 4)) } };
}

const t = await startTestServer({ AGENTBOX_LOG_LEVEL: "error" });
console.log(`# Calendar availability benchmark — ${machine()}`);
const emails: string[] = [];
const loadStart = performance.now();
for (let a = 0; a < 5; a++) {
  const email = `avail-${a}-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
  const created = await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings: { email } });
  if (created.status !== 201) throw new Error(`account: ${created.status}`);
  emails.push(email);
  const grantId = created.body.data.id as string;
  for (let i = 0; i < perAccount; i += 500)
    await Promise.all(
      Array.from({ length: Math.min(500, perAccount - i) }, (_, j) =>
        t.server.mailboxes.ask(grantId, "createEvent", { calendarId: "primary", fields: fields(i + j) }),
      ),
    );
}
const loadS = (performance.now() - loadStart) / 1000;

const openHours = [
  { days: [1, 2, 3, 4, 5], timezone: "America/New_York", start: "8:00", end: "18:00", exdates: [] },
];
async function ask(r: number): Promise<{ ms: number; slots: number }> {
  const start = YEAR_START + (r % 20) * 14 * DAY;
  const body = {
    start_time: start,
    end_time: start + 14 * DAY,
    duration_minutes: 30,
    interval_minutes: 30,
    participants: emails.map((email) => ({ email })),
    availability_rules: {
      availability_method: r % 2 ? "collective" : "max-availability",
      buffer: { before: 10, after: 10 },
      default_open_hours: openHours,
    },
  };
  const started = performance.now();
  const res = await fetch(`${t.url}/v3/calendars/availability`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { data: { time_slots: unknown[] } };
  if (res.status !== 200) throw new Error(`availability: ${res.status} ${JSON.stringify(answer)}`);
  return { ms: performance.now() - started, slots: answer.data.time_slots.length };
}

for (let r = 0; r < 20; r++) await ask(r); // warm-up
const cpuBefore = process.cpuUsage();
const times: number[] = [];
let slots = 0;
for (let r = 0; r < requests; r++) {
  const a = await ask(r);
  times.push(a.ms);
  slots = Math.max(slots, a.slots);
}
const cpu = process.cpuUsage(cpuBefore);
const ms = (x: number) => `${x.toFixed(1)} ms`;
report(
  `5 participants × ${perAccount} events (10 series each), 2 weeks, 30-minute slots, ${requests} requests (loaded at ${Math.round((5 * perAccount) / loadS)}/s)`,
  {
    median: ms(median(times)),
    p99: ms(percentile(times, 99)),
    "CPU per request (server and client, one process)": ms((cpu.user + cpu.system) / 1000 / requests),
    "slots in an answer (most)": slots,
    "target p99 < 50 ms": percentile(times, 99) < 50 ? "met" : "MISSED",
  },
);
await t.stop();
