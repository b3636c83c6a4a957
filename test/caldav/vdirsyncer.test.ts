import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PASSWORD } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { davAccount } from "./helpers.ts";

/**
 * vdirsyncer (Debian) keeps a local folder of .ics files in sync with the account's calendars,
 * both ways: what the API writes arrives in the folder, what changes in the folder reaches the API.
 */

let t: TestServer;
let dir: string;
beforeAll(async () => {
  t = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "vdirsyncer-"));
});
afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function vdirsyncer(config: string, ...args: string[]): Promise<string> {
  const proc = Bun.spawn(["vdirsyncer", "-c", config, ...args], {
    stdin: new TextEncoder().encode("y\ny\ny\n"),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, HOME: dir },
    timeout: 60_000,
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(code, `${out}\n${err}`).toBe(0);
  return out + err;
}

describe("vdirsyncer", () => {
  test("two-way sync of the primary calendar", async () => {
    const account = await davAccount(t);
    const local = join(dir, "calendars");
    const config = join(dir, "config");
    writeFileSync(
      config,
      `[general]
status_path = "${join(dir, "status")}"

[pair agent]
a = "agent_remote"
b = "agent_local"
collections = ["from a"]

[storage agent_remote]
type = "caldav"
url = "${t.url}/.well-known/caldav"
username = "${account.email}"
password = "${PASSWORD}"

[storage agent_local]
type = "filesystem"
path = "${local}"
fileext = ".ics"
`,
    );
    const created = await api(t, "POST", `/v3/grants/${account.grantId}/events?calendar_id=primary`, {
      title: "From the API",
      when: { start_time: 1_772_460_000, end_time: 1_772_463_600 },
    });
    expect(created.status).toBe(200);
    await vdirsyncer(config, "discover");
    await vdirsyncer(config, "sync");
    const folder = join(local, account.primaryId);
    const files = readdirSync(folder);
    expect(files.length).toBe(1);
    const path = join(folder, files[0] ?? "");
    const text = readFileSync(path, "utf8");
    expect(text).toContain("SUMMARY:From the API");

    // Edited in the folder, synced: the API shows the edit; then deleted in the folder.
    writeFileSync(path, text.replace("SUMMARY:From the API", "SUMMARY:Edited locally"));
    await vdirsyncer(config, "sync");
    const edited = await api(
      t,
      "GET",
      `/v3/grants/${account.grantId}/events/${created.body.data.id}?calendar_id=primary`,
    );
    expect(edited.body.data.title).toBe("Edited locally");

    // A new file in the folder becomes an event; an API change comes back down.
    writeFileSync(
      join(folder, "local-1.ics"),
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:local-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260305\r\nSUMMARY:All day, from the folder\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    await api(t, "PUT", `/v3/grants/${account.grantId}/events/${created.body.data.id}?calendar_id=primary`, {
      title: "Changed by the API",
    });
    await vdirsyncer(config, "sync");
    const list = await api(
      t,
      "GET",
      `/v3/grants/${account.grantId}/events?calendar_id=primary&start=1772000000`,
    );
    expect(list.body.data.map((e: { title: string }) => e.title).sort()).toEqual([
      "All day, from the folder",
      "Changed by the API",
    ]);
    expect(list.body.data.find((e: { title: string }) => e.title.startsWith("All day")).when).toMatchObject({
      object: "date",
      date: "2026-03-05",
    });
    expect(readFileSync(path, "utf8")).toContain("SUMMARY:Changed by the API");

    unlinkSync(path);
    await vdirsyncer(config, "sync");
    const gone = await api(
      t,
      "GET",
      `/v3/grants/${account.grantId}/events/${created.body.data.id}?calendar_id=primary`,
    );
    expect(gone.status).toBe(404);
  }, 120_000);
});
