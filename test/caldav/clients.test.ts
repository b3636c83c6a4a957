import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { davAccount } from "./helpers.ts";
import { runPython, startRadicale } from "./radicale.ts";

/**
 * Real CalDAV clients from Debian against agentbox, with Radicale (Debian) as the reference:
 * the same python3-caldav session runs against both, and what the client sees must be the same.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe("python3-caldav", () => {
  test("the same client session sees the same calendar on agentbox as on Radicale", async () => {
    const account = await davAccount(t);
    const radicale = await startRadicale(account.email, "radicale-pw");
    try {
      const reference = JSON.parse(
        await runPython("client-script.py", [
          `${radicale.url}/.well-known/caldav`,
          account.email,
          "radicale-pw",
        ]),
      );
      const ours = JSON.parse(
        await runPython("client-script.py", [
          `${t.url}/.well-known/caldav`,
          account.email,
          "MySecureP4ssword2024x",
        ]),
      );
      expect(reference.week_of_march_9.length).toBe(2);
      expect(ours).toEqual(reference);
    } finally {
      await radicale.stop();
    }
    // What the client did is what the API shows: the calendar it made, and the event it edited.
    const calendars = await api(t, "GET", `/v3/grants/${account.grantId}/calendars`);
    const work = calendars.body.data.find((c: { id: string }) => c.id === "work-cal");
    expect(work?.name).toBe("Work");
    const events = await api(t, "GET", `/v3/grants/${account.grantId}/events?calendar_id=work-cal`);
    expect(events.body.data.map((e: { title: string }) => e.title)).toEqual(["Planning (edited)"]);
  }, 120_000);
});
