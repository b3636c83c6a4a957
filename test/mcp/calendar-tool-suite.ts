import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createAccount, createApplication } from "../api/helpers.ts";
import type { TestServer } from "../support/server.ts";
import { api } from "../support/server.ts";
import type { Connect } from "./clients.ts";

/**
 * The calendar tools through the SDK's client over one transport: reading, writing, the confirm
 * step before any invitation, update, cancellation or answer goes out, and isolation.
 */

type Result = { isError?: boolean; structuredContent?: any; content: { type: string; text?: string }[] };

const H = 3600;
const START = Date.UTC(2026, 9, 5, 9) / 1000; // a Monday, 09:00 UTC

export const CALENDAR_TOOLS = [
  "availability",
  "create_event",
  "delete_event",
  "get_event",
  "list_calendars",
  "list_events",
  "send_rsvp",
  "update_event",
];

export function calendarToolSuite(transport: string, server: () => TestServer, connect: () => Connect) {
  let t: TestServer;
  let mcp: Client;

  const call = async (name: string, args: Record<string, unknown>): Promise<Result> =>
    (await mcp.callTool({ name, arguments: args })) as Result;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const r = await call(name, args);
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(JSON.parse(r.content[0]?.text ?? "")).toEqual(r.structuredContent);
    return r.structuredContent;
  };
  const fails = async (name: string, args: Record<string, unknown>, ...parts: string[]) => {
    const r = await call(name, args);
    expect(r.isError, JSON.stringify(r)).toBe(true);
    const text = r.content.map((c) => c.text).join("\n");
    for (const part of parts) expect(text).toContain(part);
  };
  const inbox = async (grantId: string) =>
    ((await api(t, "GET", `/v3/grants/${grantId}/messages?in=inbox`)).body.data as any[]).map(
      (m) => m.subject,
    );

  beforeAll(async () => {
    t = server();
    mcp = await connect()(t.apiKey);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  describe(`MCP calendar tools over ${transport}`, () => {
    test("every calendar tool is listed with hints and schemas; writes that mail are not read-only", async () => {
      const { tools } = await mcp.listTools();
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      for (const name of CALENDAR_TOOLS) {
        const tool = byName.get(name);
        expect(tool?.outputSchema?.type, name).toBe("object");
        expect(typeof tool?.annotations?.openWorldHint, name).toBe("boolean");
      }
      expect(byName.get("list_events")?.annotations).toMatchObject({ readOnlyHint: true });
      expect(byName.get("list_events")?.description).toContain("external senders");
      expect(byName.get("create_event")?.annotations).toMatchObject({
        readOnlyHint: false,
        openWorldHint: true,
      });
      expect(byName.get("delete_event")?.annotations).toMatchObject({ destructiveHint: true });
      expect(byName.get("create_event")?.inputSchema.required).toEqual(["grant", "when"]);
    });

    test("list_calendars, create_event without participants, list_events, get_event, update_event, delete_event", async () => {
      const g = await createAccount(t);
      const { calendars } = await ok("list_calendars", { grant: g.email });
      expect(calendars).toHaveLength(1);
      expect(calendars[0]).toMatchObject({ is_primary: true });

      const created = await ok("create_event", {
        grant: g.email,
        title: "Focus time",
        when: { start_time: START, end_time: START + H },
      });
      expect(created).toMatchObject({ applied: true, notification: null });
      expect(created.event).toMatchObject({
        title: "Focus time",
        calendar_id: calendars[0].id,
        when: { object: "timespan", start_time: START, end_time: START + H },
      });
      const series = await ok("create_event", {
        grant: g.id,
        calendar_id: calendars[0].id,
        title: "Standup",
        when: { start_time: START + 2 * H, end_time: START + 2 * H + 900 },
        recurrence: ["RRULE:FREQ=DAILY;COUNT=3"],
      });
      const listed = await ok("list_events", { grant: g.id, start: START, end: START + 3 * 86400 });
      expect(listed.events.map((e: any) => e.title)).toEqual(["Focus time", "Standup", "Standup", "Standup"]);
      expect(listed.notice).toContain("external senders");
      const occurrence = listed.events[2];
      expect(occurrence.master_event_id).toBe(series.event.id);
      const paged = await ok("list_events", { grant: g.id, start: START, end: START + 3 * 86400, limit: 2 });
      expect(paged.events).toHaveLength(2);
      const rest = await ok("list_events", {
        grant: g.id,
        start: START,
        end: START + 3 * 86400,
        page_token: paged.next_page_token,
      });
      expect(rest.events).toHaveLength(2);

      const got = await ok("get_event", { grant: g.id, event_id: created.event.id });
      expect(got.event.title).toBe("Focus time");
      const moved = await ok("update_event", {
        grant: g.id,
        event_id: occurrence.id,
        title: "Standup (moved)",
        when: { start_time: occurrence.when.start_time + H, end_time: occurrence.when.end_time + H },
      });
      expect(moved.event).toMatchObject({ id: occurrence.id, title: "Standup (moved)" });
      const gone = await ok("delete_event", { grant: g.id, event_id: created.event.id });
      expect(gone).toMatchObject({ applied: true, notification: null, event: { title: "Focus time" } });
      const after = await ok("list_events", { grant: g.id, start: START, end: START + 3 * 86400 });
      expect(after.events.map((e: any) => e.title)).toEqual(["Standup", "Standup (moved)", "Standup"]);

      await fails("get_event", { grant: g.id, event_id: created.event.id }, "404");
      await fails("update_event", { grant: g.id, event_id: occurrence.id }, "say what to change");
      await fails("create_event", { grant: g.id, when: { date: "not a date" } }, "400");
      await fails("create_event", { grant: g.id, title: "x" }, "when");
      await fails("list_events", { grant: g.id, calendar_id: "nope" }, "404", "calendar nope");
      await fails("list_calendars", { grant: "nobody@agents.localhost" }, "no account");
    });

    test("invitations need the confirm step: A invites B, B answers, A cancels; tokens spent once and bound", async () => {
      const a = await createAccount(t, undefined, { name: "Agent A" });
      const b = await createAccount(t);
      const invite = {
        grant: a.id,
        title: "Design review",
        when: { start_time: START, end_time: START + H },
        participants: [{ email: b.email, name: "B" }],
        notify_participants: true,
      };
      const first = await ok("create_event", invite);
      expect(first).toMatchObject({
        applied: false,
        event: null,
        notification: { method: "REQUEST", to: [b.email], sent: false },
      });
      expect(await ok("list_events", { grant: a.id, start: START })).toMatchObject({ events: [] });
      await fails(
        "create_event",
        { ...invite, title: "Other", confirmation_token: first.confirmation_token },
        "nothing was sent",
        "different",
      );
      await fails(
        "create_event",
        { ...invite, confirmation_token: first.confirmation_token },
        "already used",
      );
      expect(await inbox(b.id)).toEqual([]);

      const again = await ok("create_event", invite);
      const created = await ok("create_event", { ...invite, confirmation_token: again.confirmation_token });
      expect(created).toMatchObject({ applied: true, notification: { sent: true } });
      expect(await inbox(b.id)).toEqual(["Invitation: Design review"]);

      const [mine] = (await ok("list_events", { grant: b.id, start: START })).events;
      expect(mine.participants.find((p: any) => p.email === b.email).status).toBe("noreply");
      const rsvp = { grant: b.email, event_id: mine.id, status: "yes" };
      const asked = await ok("send_rsvp", rsvp);
      expect(asked).toMatchObject({ applied: false, notification: { method: "REPLY", to: [a.email] } });
      await fails(
        "send_rsvp",
        { ...rsvp, status: "no", confirmation_token: asked.confirmation_token },
        "nothing was sent",
      );
      const confirmed = await ok("send_rsvp", rsvp);
      const answered = await ok("send_rsvp", { ...rsvp, confirmation_token: confirmed.confirmation_token });
      expect(answered.event.participants.find((p: any) => p.email === b.email).status).toBe("yes");
      expect(await inbox(a.id)).toContain("Accepted: Design review");
      const quiet = await ok("send_rsvp", { ...rsvp, status: "maybe", notify_organizer: false });
      expect(quiet).toMatchObject({ applied: true, notification: null });
      await fails("send_rsvp", { ...rsvp, status: "perhaps" }, "status");

      const moved = {
        grant: a.id,
        event_id: created.event.id,
        location: "Room 7",
        notify_participants: true,
      };
      const update = await ok("update_event", moved);
      expect(update).toMatchObject({ applied: false, notification: { method: "REQUEST", to: [b.email] } });
      await ok("update_event", { ...moved, confirmation_token: update.confirmation_token });
      expect(await inbox(b.id)).toContain("Updated invitation: Design review");

      const cancel = { grant: a.id, event_id: created.event.id, notify_participants: true };
      const asked2 = await ok("delete_event", cancel);
      expect(asked2).toMatchObject({ applied: false, notification: { method: "CANCEL", to: [b.email] } });
      expect((await ok("get_event", { grant: a.id, event_id: created.event.id })).event.title).toBe(
        "Design review",
      );
      const deleted = await ok("delete_event", { ...cancel, confirmation_token: asked2.confirmation_token });
      expect(deleted).toMatchObject({ applied: true, notification: { sent: true } });
      expect(await inbox(b.id)).toContain("Canceled event: Design review");
    });

    test("availability: collective slots around a busy event; errors are the API's", async () => {
      const a = await createAccount(t);
      const b = await createAccount(t);
      await ok("create_event", {
        grant: a.id,
        title: "busy",
        when: { start_time: START, end_time: START + H },
      });
      const found = await ok("availability", {
        participants: [{ email: a.email }, { email: b.email }],
        start_time: START,
        end_time: START + 2 * H,
        duration_minutes: 30,
        availability_method: "collective",
      });
      expect(found.time_slots.map((s: any) => s.start_time)).toEqual([START + H, START + H + 1800]);
      expect(found.time_slots[0].emails.sort()).toEqual([a.email, b.email].sort());
      await fails(
        "availability",
        {
          participants: [{ email: "stranger@else.example" }],
          start_time: START,
          end_time: START + H,
          duration_minutes: 30,
        },
        "400",
      );
    });

    test("another application's key reaches none of these calendars", async () => {
      const g = await createAccount(t);
      const made = await ok("create_event", {
        grant: g.id,
        title: "mine",
        when: { start_time: START, end_time: START + H },
      });
      const other = await createApplication(t, `calendar other ${transport}`);
      const stranger = await connect()(other.key);
      try {
        const strange = async (name: string, args: Record<string, unknown>, part: string) => {
          const r = (await stranger.callTool({ name, arguments: args })) as Result;
          expect(r.isError, JSON.stringify(r)).toBe(true);
          expect(r.content[0]?.text).toContain(part);
        };
        await strange("list_calendars", { grant: g.id }, "404");
        await strange("list_events", { grant: g.email }, "no account");
        await strange("get_event", { grant: g.id, event_id: made.event.id }, "404");
        await strange("delete_event", { grant: g.id, event_id: made.event.id }, "404");
        await strange(
          "availability",
          {
            participants: [{ email: g.email }],
            start_time: START,
            end_time: START + H,
            duration_minutes: 30,
          },
          "400",
        );
        expect((await ok("get_event", { grant: g.id, event_id: made.event.id })).event.title).toBe("mine");
      } finally {
        await stranger.close();
      }
    });
  });
}
