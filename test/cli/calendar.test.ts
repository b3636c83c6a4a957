import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { createAccount } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** `agentbox calendar …` and `agentbox event …` as a real subprocess against the real server. */

const BIN = join(resolve(import.meta.dir, "../.."), "bin", "agentbox.cjs");
const START = Date.UTC(2026, 9, 5, 9) / 1000;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Run> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AGENTBOX_")),
  ) as Record<string, string>;
  const proc = Bun.spawn({
    cmd: ["node", BIN, ...args],
    env: { ...base, AGENTBOX_URL: t.url, AGENTBOX_API_KEY: t.apiKey },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

function ok(run: Run): string {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return run.stdout;
}

const inbox = async (grantId: string) =>
  ((await api(t, "GET", `/v3/grants/${grantId}/messages?in=inbox`)).body.data as any[]).map((m) => m.subject);

describe("calendar", () => {
  test("list, get primary, create, delete; the primary one cannot be deleted", async () => {
    const a = await createAccount(t);
    const listed = JSON.parse(ok(await cli(["calendar", "list", a.email, "--json"])));
    expect(listed).toHaveLength(1);
    expect(listed[0].is_primary).toBe(true);
    expect(ok(await cli(["calendar", "list", a.id]))).toContain(listed[0].id);
    const primary = JSON.parse(ok(await cli(["calendar", "get", a.id, "primary", "--json"])));
    expect(primary.id).toBe(listed[0].id);

    const made = JSON.parse(
      ok(await cli(["calendar", "create", a.id, "--name", "Team", "--timezone", "Europe/Paris", "--json"])),
    );
    expect(made).toMatchObject({ name: "Team", timezone: "Europe/Paris", is_primary: false });
    expect(ok(await cli(["calendar", "get", a.id, made.id]))).toMatch(/Time zone:\s+Europe\/Paris/);
    expect(ok(await cli(["calendar", "delete", a.id, made.id]))).toContain("deleted");
    const gone = await cli(["calendar", "get", a.id, made.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("not found");

    const primaryDelete = await cli(["calendar", "delete", a.id, "primary"]);
    expect(primaryDelete.code).toBe(1);
    expect(primaryDelete.stderr).toContain("primary");
    const bad = await cli(["calendar", "create", a.id, "--timezone", "Mars/Olympus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--name");
    const badZone = await cli(["calendar", "create", a.id, "--name", "x", "--timezone", "Mars/Olympus"]);
    expect(badZone.code).toBe(1);
    expect(badZone.stderr).toContain("timezone");
  }, 30_000);
});

describe("event", () => {
  test("create (ISO and Unix times, series), list, get, update, delete; --json everywhere", async () => {
    const a = await createAccount(t);
    const made = JSON.parse(
      ok(
        await cli([
          "event",
          "create",
          a.email,
          "--title",
          "Planning",
          "--start",
          "2026-10-05T09:00Z",
          "--end",
          "2026-10-05T10:00",
          "--location",
          "Room 1",
          "--json",
        ]),
      ),
    );
    expect(made).toMatchObject({
      title: "Planning",
      location: "Room 1",
      when: { object: "timespan", start_time: START, end_time: START + 3600 },
    });
    const series = JSON.parse(
      ok(
        await cli([
          "event",
          "create",
          a.id,
          "--title",
          "Standup",
          "--start",
          String(START + 7200),
          "--end",
          String(START + 8100),
          "--timezone",
          "Europe/Paris",
          "--rrule",
          "FREQ=DAILY;COUNT=3",
          "--json",
        ]),
      ),
    );
    expect(series.recurrence).toEqual(["RRULE:FREQ=DAILY;COUNT=3"]);
    const allDay = JSON.parse(
      ok(await cli(["event", "create", a.id, "--title", "Off", "--date", "2026-10-07", "--json"])),
    );
    expect(allDay.when).toMatchObject({ object: "date", date: "2026-10-07" });

    const window = ["--start", String(START), "--end", String(START + 3 * 86400)];
    const listed = JSON.parse(ok(await cli(["event", "list", a.id, ...window, "--json"])));
    expect(listed.map((e: any) => e.title)).toEqual(["Planning", "Standup", "Standup", "Off", "Standup"]);
    const table = ok(await cli(["event", "list", a.id, ...window]));
    expect(table).toContain("2026-10-05T09:00:00Z");
    expect(table).toContain("2026-10-07");

    const shown = ok(await cli(["event", "get", a.id, made.id]));
    expect(shown).toMatch(/Title:\s+Planning/);
    const occurrence = listed[2];
    const moved = JSON.parse(
      ok(await cli(["event", "update", a.id, occurrence.id, "--title", "Standup (late)", "--json"])),
    );
    expect(moved).toMatchObject({ id: occurrence.id, title: "Standup (late)", master_event_id: series.id });
    expect(ok(await cli(["event", "delete", a.id, made.id]))).toContain("deleted");
    const after = JSON.parse(
      ok(await cli(["event", "list", a.id, ...window, "--title", "standup", "--json"])),
    );
    expect(after.map((e: any) => e.title)).toEqual(["Standup", "Standup (late)", "Standup"]);

    const noWhen = await cli(["event", "create", a.id, "--title", "x"]);
    expect(noWhen.code).toBe(2);
    expect(noWhen.stderr).toContain("say when");
    const badTime = await cli(["event", "create", a.id, "--start", "tomorrow", "--end", "later"]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("ISO 8601");
    const nothing = await cli(["event", "update", a.id, series.id]);
    expect(nothing.code).toBe(2);
    const missing = await cli(["event", "get", a.id, "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("event nope not found");
  }, 30_000);

  test("an invitation by mail, an answer with rsvp, --no-notify sends nothing", async () => {
    const a = await createAccount(t, undefined, { name: "Agent A" });
    const b = await createAccount(t);
    const quiet = JSON.parse(
      ok(
        await cli([
          "event",
          "create",
          a.id,
          "--title",
          "Silent",
          "--start",
          String(START),
          "--end",
          String(START + 1800),
          "--participants",
          b.email,
          "--no-notify",
          "--json",
        ]),
      ),
    );
    expect(quiet.participants.map((p: any) => p.email)).toEqual([b.email]);
    expect(await inbox(b.id)).toEqual([]);
    ok(
      await cli([
        "event",
        "create",
        a.id,
        "--title",
        "Review",
        "--start",
        String(START + 3600),
        "--end",
        String(START + 7200),
        "--participants",
        b.email,
      ]),
    );
    expect(await inbox(b.id)).toEqual(["Invitation: Review"]);
    const [invited] = JSON.parse(ok(await cli(["event", "list", b.id, "--title", "Review", "--json"])));
    const bad = await cli(["event", "rsvp", b.id, invited.id, "perhaps"]);
    expect(bad.code).toBe(2);
    expect(ok(await cli(["event", "rsvp", b.id, invited.id, "yes"]))).toContain("Answered yes");
    expect(await inbox(a.id)).toContain("Accepted: Review");
    const [organized] = JSON.parse(ok(await cli(["event", "list", a.id, "--title", "Review", "--json"])));
    expect(organized.participants[0].status).toBe("yes");
    ok(await cli(["event", "delete", a.id, organized.id]));
    expect(await inbox(b.id)).toContain("Canceled event: Review");
  }, 30_000);
});
