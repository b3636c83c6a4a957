import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createAccount, createApplication } from "../api/helpers.ts";
import { deliver, ingest } from "../fixtures/mail.ts";
import type { TestServer } from "../support/server.ts";
import { api } from "../support/server.ts";
import { CALENDAR_TOOLS } from "./calendar-tool-suite.ts";
import type { Connect } from "./clients.ts";

/**
 * Every tool's happy and error paths, the confirm step, and isolation between applications,
 * through the SDK's client over one transport (http.test.ts and stdio.test.ts run it).
 */

const CLEAN = join(import.meta.dir, "../fixtures/clean");

type Result = { isError?: boolean; structuredContent?: any; content: { type: string; text?: string }[] };

export const EXPECTED_TOOLS = [
  "confirm_send_draft",
  "confirm_send_message",
  "create_draft",
  "current_time",
  "epoch_to_datetime",
  "get_folder_by_id",
  "get_grant",
  "get_message",
  "list_folders",
  "list_grants",
  "list_messages",
  "list_threads",
  "mark_message",
  "move_message",
  "reply_to_message",
  "search_messages",
  "send_draft",
  "send_message",
  "update_draft",
  "wait_for_message",
  ...CALENDAR_TOOLS,
].sort();

export function toolSuite(transport: string, server: () => TestServer, connect: () => Connect) {
  let t: TestServer;
  let mcp: Client;
  let grant: { id: string; email: string };
  let peer: { id: string; email: string };

  const call = async (name: string, args: Record<string, unknown>): Promise<Result> =>
    (await mcp.callTool({ name, arguments: args })) as Result;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const r = await call(name, args);
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(typeof r.structuredContent).toBe("object");
    expect(JSON.parse(r.content[0]?.text ?? "")).toEqual(r.structuredContent);
    return r.structuredContent;
  };
  const fails = async (name: string, args: Record<string, unknown>, ...parts: string[]) => {
    const r = await call(name, args);
    expect(r.isError, JSON.stringify(r)).toBe(true);
    const text = r.content.map((c) => c.text).join("\n");
    for (const part of parts) expect(text).toContain(part);
    return text;
  };

  beforeAll(async () => {
    t = server();
    const a = await createAccount(t);
    const b = await createAccount(t);
    grant = { id: a.id, email: a.email };
    peer = { id: b.id, email: b.email };
    mcp = await connect()(t.apiKey);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  describe(`MCP over ${transport}`, () => {
    test("lists every tool with a title, the four hints, and input and output schemas", async () => {
      const { tools } = await mcp.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(EXPECTED_TOOLS);
      for (const tool of tools) {
        expect(tool.description?.length, tool.name).toBeGreaterThan(20);
        expect(tool.annotations?.title, tool.name).toBeString();
        for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
          expect(typeof tool.annotations?.[hint], `${tool.name} ${hint}`).toBe("boolean");
        }
        expect(tool.inputSchema.type).toBe("object");
        expect(tool.outputSchema?.type, tool.name).toBe("object");
      }
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      expect(byName.get("send_message")?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
      });
      expect(byName.get("list_messages")?.annotations).toMatchObject({
        readOnlyHint: true,
        openWorldHint: true,
      });
      expect(byName.get("list_messages")?.inputSchema.required).toEqual(["grant"]);
      for (const name of [
        "list_messages",
        "get_message",
        "search_messages",
        "wait_for_message",
        "list_threads",
      ]) {
        expect(byName.get(name)?.description, name).toContain("external senders");
      }
    });

    test("list_messages and search_messages: newest first, filters, pages, by grant id or address", async () => {
      const g = (await createAccount(t)) as { id: string; email: string };
      await deliver(
        t,
        g.id,
        { subject: "First invoice", from: "billing@shop.example", text: "Total 12 EUR" },
        { internalDate: 1_700_000_000 },
      );
      await deliver(
        t,
        g.id,
        { subject: "Lunch?", from: "friend@people.example", text: "Noon?" },
        { internalDate: 1_700_000_100 },
      );
      await deliver(
        t,
        g.id,
        { subject: "Second invoice", from: "billing@shop.example", text: "Total 30 EUR" },
        { internalDate: 1_700_000_200 },
      );
      const all = await ok("list_messages", { grant: g.email });
      expect(all.messages.map((m: any) => m.subject)).toEqual(["Second invoice", "Lunch?", "First invoice"]);
      expect(all.notice).toContain("external senders");
      expect(all.messages[0]).toMatchObject({
        folder: "inbox",
        unread: true,
        from: [{ email: "billing@shop.example" }],
      });
      const filtered = await ok("list_messages", { grant: g.id, from: "billing@shop.example", limit: 1 });
      expect(filtered.messages.map((m: any) => m.subject)).toEqual(["Second invoice"]);
      const next = await ok("list_messages", {
        grant: g.id,
        from: "billing@shop.example",
        page_token: filtered.next_page_token,
      });
      expect(next.messages.map((m: any) => m.subject)).toEqual(["First invoice"]);
      const found = await ok("search_messages", { grant: g.id, query: "invoice" });
      expect(found.messages.map((m: any) => m.subject)).toEqual(["Second invoice", "First invoice"]);
      await fails("list_messages", { grant: crypto.randomUUID() }, "404");
      await fails("list_messages", { grant: "nobody@agents.localhost" }, "no account");
      await fails("list_messages", { grant: g.id, limit: 0 }, "limit");
      await fails("search_messages", { grant: g.id, query: '"unclosed' }, "400");
    });

    test("get_message: the text, codes and links; an unknown id is an error", async () => {
      const m = await deliver(t, grant.id, {
        subject: "Your code",
        from: "noreply@service.example",
        text: "Your verification code is 482913.\nConfirm at https://service.example/confirm?t=abc\n",
      });
      const got = await ok("get_message", { grant: grant.id, message_id: m.id });
      expect(got.message).toMatchObject({ id: m.id, subject: "Your code" });
      expect(got.message.text).toContain("482913");
      expect(got.message.extracted.codes).toEqual(["482913"]);
      expect(got.message.extracted.links.map((l: any) => l.url)).toContain(
        "https://service.example/confirm?t=abc",
      );
      expect(got.notice).toContain("external senders");
      const reply = await ingest(t, grant.id, readFileSync(join(CLEAN, "gmail-reply.eml")));
      const clean = await ok("get_message", { grant: grant.email, message_id: reply.id });
      expect(clean.message.text).toBe(readFileSync(join(CLEAN, "gmail-reply.txt"), "utf8").trimEnd());
      await fails("get_message", { grant: grant.id, message_id: "nope" }, "404", "message nope not found");
      await fails("get_message", { grant: grant.id }, "message_id");
    });

    test("wait_for_message answers when the message arrives, with its code; null at the timeout", async () => {
      const g = await createAccount(t);
      const waiting = call("wait_for_message", { grant: g.id, subject: "sign-in", timeout_s: 10 });
      await Bun.sleep(300);
      await deliver(t, g.id, { subject: "Other", text: "nothing" });
      await deliver(t, g.id, { subject: "Your sign-in code", text: "Code: 771204" });
      const r = await waiting;
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent.message).toMatchObject({ subject: "Your sign-in code" });
      expect(r.structuredContent.message.extracted.codes).toEqual(["771204"]);
      const empty = await ok("wait_for_message", { grant: g.id, subject: "never", timeout_s: 1 });
      expect(empty.message).toBeNull();
      await fails("wait_for_message", { grant: g.id, timeout_s: 61 }, "timeout_s");
    });

    test("move_message and mark_message; unknown folders and empty marks are errors", async () => {
      const m = await deliver(t, grant.id, { subject: "to file" });
      await api(t, "POST", `/v3/grants/${grant.id}/folders`, { name: "Receipts" });
      expect(
        (await ok("move_message", { grant: grant.id, message_id: m.id, folder: "archive" })).message.folder,
      ).toBe("archive");
      const receipts = (await ok("move_message", { grant: grant.id, message_id: m.id, folder: "receipts" }))
        .message.folder;
      expect(receipts).not.toBe("archive");
      const folder = await ok("get_folder_by_id", { grant: grant.id, folder_id: receipts });
      expect(folder.folder).toMatchObject({ name: "Receipts", total_count: 1, unread_count: 1 });
      const marked = await ok("mark_message", {
        grant: grant.id,
        message_id: m.id,
        unread: false,
        starred: true,
      });
      expect(marked.message).toMatchObject({ unread: false, starred: true });
      await fails(
        "move_message",
        { grant: grant.id, message_id: m.id, folder: "No Such Folder" },
        "no folder",
      );
      await fails("move_message", { grant: grant.id, message_id: "nope", folder: "inbox" }, "404");
      await fails("mark_message", { grant: grant.id, message_id: m.id }, "say what to mark");
    });

    test("list_threads, get_folder_by_id, list_folders", async () => {
      const g = await createAccount(t);
      const first = await deliver(t, g.id, { subject: "Plan", messageId: "plan-1@people.example" });
      await deliver(t, g.id, {
        subject: "Re: Plan",
        inReplyTo: "plan-1@people.example",
        references: ["plan-1@people.example"],
      });
      const threads = await ok("list_threads", { grant: g.id });
      expect(threads.threads).toHaveLength(1);
      expect(threads.threads[0]).toMatchObject({ id: first.threadId, subject: "Plan" });
      expect(threads.threads[0].message_ids).toHaveLength(2);
      const inbox = await ok("get_folder_by_id", { grant: g.id, folder_id: "inbox" });
      expect(inbox.folder).toMatchObject({ id: "inbox", total_count: 2 });
      const folders = await ok("list_folders", { grant: g.id });
      expect(folders.folders.map((f: any) => f.id)).toEqual(
        expect.arrayContaining(["inbox", "sent", "drafts", "trash"]),
      );
      await fails("get_folder_by_id", { grant: g.id, folder_id: "nope" }, "404");
      await fails("list_folders", { grant: crypto.randomUUID() }, "404");
      await fails("list_threads", { grant: crypto.randomUUID() }, "404");
    });

    test("get_grant by address or id, list_grants; an unknown one is an error", async () => {
      expect((await ok("get_grant", { grant: grant.email })).grant).toMatchObject({
        id: grant.id,
        email: grant.email,
      });
      expect((await ok("get_grant", { grant: grant.id })).grant).toMatchObject({ email: grant.email });
      const listed = await ok("list_grants", { limit: 200 });
      expect(listed.grants.map((g: any) => g.id)).toContain(grant.id);
      await fails("get_grant", { grant: "nobody@agents.localhost" }, "no account");
      await fails("list_grants", { limit: 0 }, "limit");
      await fails("get_grant", { grant: crypto.randomUUID() }, "404");
    });

    test("current_time and epoch_to_datetime; an unknown time zone is an error", async () => {
      const now = await ok("current_time", {});
      expect(Math.abs(now.epoch - Date.now() / 1000)).toBeLessThan(5);
      expect(now.timezone).toBe("UTC");
      const paris = await ok("epoch_to_datetime", { epoch: 1_700_000_000, timezone: "Europe/Paris" });
      expect(paris).toMatchObject({
        epoch: 1_700_000_000,
        iso: "2023-11-14T22:13:20Z",
        timezone: "Europe/Paris",
      });
      expect(paris.local).toContain("2023-11-14");
      expect(paris.local).toContain("23:13:20");
      expect(paris.local).toContain("GMT+01:00");
      await fails("epoch_to_datetime", { epoch: 1, timezone: "Mars/Olympus" }, "unknown time zone");
      await fails("epoch_to_datetime", { epoch: -1 }, "epoch");
      await fails("current_time", { timezone: "Nowhere/Atlantis" }, "unknown time zone");
    });

    test("drafts: create, update, confirm, send; the confirm step refused when skipped, replayed or stale", async () => {
      const draft = (await ok("create_draft", { grant: grant.id, subject: "Draft one", body: "Hello there" }))
        .draft;
      expect(draft).toMatchObject({ folder: "drafts", subject: "Draft one" });
      await fails("confirm_send_draft", { grant: grant.id, draft_id: draft.id }, "no recipient");
      await fails("create_draft", { grant: grant.id, to: [{ email: "not an address" }], body: "x" }, "400");
      await fails("create_draft", { grant: crypto.randomUUID(), subject: "x" }, "404");
      const updated = await ok("update_draft", {
        grant: grant.id,
        draft_id: draft.id,
        to: [{ email: peer.email }],
      });
      expect(updated.draft).toMatchObject({ subject: "Draft one", to: [{ email: peer.email }] });
      await fails("update_draft", { grant: grant.id, draft_id: draft.id }, "say what to change");
      await fails("update_draft", { grant: grant.id, draft_id: "nope", subject: "x" }, "404");

      await fails(
        "send_draft",
        { grant: grant.id, draft_id: draft.id },
        "nothing was sent",
        "confirm_send_draft",
      );
      await fails(
        "send_draft",
        { grant: grant.id, draft_id: draft.id, confirmation_token: "cfm_forged" },
        "nothing was sent",
      );
      const stale = await ok("confirm_send_draft", { grant: grant.id, draft_id: draft.id });
      expect(stale.preview).toMatchObject({ subject: "Draft one", to: [{ email: peer.email }] });
      await ok("update_draft", { grant: grant.id, draft_id: draft.id, subject: "Draft one, amended" });
      await fails(
        "send_draft",
        { grant: grant.id, draft_id: draft.id, confirmation_token: stale.confirmation_token },
        "different message",
      );

      const confirmed = await ok("confirm_send_draft", { grant: grant.id, draft_id: draft.id });
      expect(confirmed.expires_at).toBeGreaterThan(Date.now() / 1000);
      const sent = await ok("send_draft", {
        grant: grant.id,
        draft_id: draft.id,
        confirmation_token: confirmed.confirmation_token,
      });
      expect(sent.message).toMatchObject({ folder: "sent", subject: "Draft one, amended" });
      await fails(
        "send_draft",
        { grant: grant.id, draft_id: draft.id, confirmation_token: confirmed.confirmation_token },
        "already used",
      );
      const inbox = await api(t, "GET", `/v3/grants/${peer.id}/messages?subject=amended`);
      expect(inbox.body.data).toHaveLength(1);
    });

    test("send_message needs confirm_send_message for exactly that message, once", async () => {
      const message = {
        grant: grant.id,
        to: [{ email: peer.email, name: "Peer" }],
        subject: "Status report",
        body: "All good.\nMore tomorrow.",
      };
      await fails("send_message", message, "nothing was sent", "confirm_send_message");
      const confirmed = await ok("confirm_send_message", message);
      expect(confirmed.preview).toMatchObject({
        subject: "Status report",
        body: "All good.\nMore tomorrow.",
        cc: [],
      });
      await fails(
        "send_message",
        { ...message, subject: "Other", confirmation_token: confirmed.confirmation_token },
        "different message",
      );
      // A mismatch spends the token too: a guess costs a confirmation.
      await fails(
        "send_message",
        { ...message, confirmation_token: confirmed.confirmation_token },
        "already used",
      );
      const again = await ok("confirm_send_message", message);
      const sent = await ok("send_message", { ...message, confirmation_token: again.confirmation_token });
      expect(sent.message).toMatchObject({ folder: "sent", subject: "Status report" });
      await fails(
        "send_message",
        { ...message, confirmation_token: again.confirmation_token },
        "already used",
      );
      const received = await api(t, "GET", `/v3/grants/${peer.id}/messages?subject=Status%20report`);
      expect(received.body.data).toHaveLength(1);
      expect(received.body.data[0].body).toContain("More tomorrow.");
      await fails("confirm_send_message", { ...message, to: [] }, "at least one recipient");
      const bad = await ok("confirm_send_message", { ...message, to: [{ email: "not an address" }] });
      await fails(
        "send_message",
        { ...message, to: [{ email: "not an address" }], confirmation_token: bad.confirmation_token },
        "400",
      );
    });

    test("reply_to_message: without a token it only shows the reply; with it, sends it in the thread", async () => {
      const original = await deliver(t, grant.id, {
        subject: "Question",
        from: `Asker <${peer.email}>`,
        to: `${grant.email}, third@elsewhere.example`,
        messageId: `q-${crypto.randomUUID()}@people.example`,
      });
      const shown = await ok("reply_to_message", {
        grant: grant.id,
        message_id: original.id,
        body: "Answer.",
        reply_all: true,
      });
      expect(shown.sent).toBe(false);
      expect(shown.reply).toMatchObject({
        to: [{ email: peer.email }],
        cc: [{ email: "third@elsewhere.example" }],
        subject: "Re: Question",
      });
      await fails(
        "reply_to_message",
        {
          grant: grant.id,
          message_id: original.id,
          body: "Other answer.",
          reply_all: true,
          confirmation_token: shown.confirmation_token,
        },
        "different message",
      );
      const again = await ok("reply_to_message", {
        grant: grant.id,
        message_id: original.id,
        body: "Answer.",
      });
      const sent = await ok("reply_to_message", {
        grant: grant.id,
        message_id: original.id,
        body: "Answer.",
        confirmation_token: again.confirmation_token,
      });
      expect(sent.sent).toBe(true);
      expect(sent.message).toMatchObject({ thread_id: original.threadId, subject: "Re: Question" });
      await fails(
        "reply_to_message",
        {
          grant: grant.id,
          message_id: original.id,
          body: "Answer.",
          confirmation_token: again.confirmation_token,
        },
        "already used",
      );
      await fails("reply_to_message", { grant: grant.id, message_id: "nope", body: "x" }, "404");
    });

    test("another application's key reaches none of these grants, nor their confirmations", async () => {
      const other = await createApplication(t, `other ${transport}`);
      const stranger = await connect()(other.key);
      try {
        const strange = async (name: string, args: Record<string, unknown>, ...parts: string[]) => {
          const r = (await stranger.callTool({ name, arguments: args })) as Result;
          expect(r.isError, JSON.stringify(r)).toBe(true);
          for (const part of parts) expect(r.content[0]?.text).toContain(part);
        };
        await strange("list_messages", { grant: grant.id }, "404");
        await strange("list_messages", { grant: grant.email }, "no account");
        await strange("get_grant", { grant: grant.id }, "404");
        const mine = (await stranger.callTool({ name: "list_grants", arguments: {} })) as Result;
        expect(mine.structuredContent.grants).toEqual([]);
        const message = { grant: grant.id, to: [{ email: peer.email }], subject: "hi", body: "x" };
        const confirmed = await ok("confirm_send_message", message);
        await strange(
          "send_message",
          { ...message, confirmation_token: confirmed.confirmation_token },
          "nothing was sent",
        );
        const received = await api(t, "GET", `/v3/grants/${peer.id}/messages?subject=hi`);
        expect(received.body.data).toEqual([]);
      } finally {
        await stranger.close();
      }
    });
  });
}
