/**
 * mbsync (isync) against the server: a two-way sync of every folder to a local Maildir, local
 * changes pushed back (flags, a new message, a deletion), then a re-sync after changes made
 * through the API. mbsync checks the server's certificate (the data dir's self-signed one).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

interface LocalMessage {
  path: string;
  subject: string;
  flags: string;
}

function local(dir: string, folder: string): LocalMessage[] {
  const out: LocalMessage[] = [];
  for (const sub of ["cur", "new"]) {
    const d = join(dir, folder, sub);
    for (const name of readdirSync(d)) {
      const text = readFileSync(join(d, name), "utf8");
      out.push({
        path: join(d, name),
        subject: /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? "",
        flags: name.split(":2,")[1] ?? "",
      });
    }
  }
  return out.sort((a, b) => a.subject.localeCompare(b.subject));
}

async function mbsync(rc: string): Promise<void> {
  const proc = Bun.spawn(["mbsync", "-c", rc, "sync"], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(code, `${out}\n${err}`).toBe(0);
}

describe("mbsync", () => {
  test("two-way sync, then a re-sync after API-side changes", async () => {
    const { email, grantId } = await f.account();
    const one = await deliver(f, grantId, message({ subject: "one" }));
    await deliver(f, grantId, message({ subject: "two" }));
    await deliver(f, grantId, message({ subject: "kept" }), "archive", { flagged: true });
    const dir = join(f.t.dataDir, "mbsync");
    const mail = join(dir, "mail");
    mkdirSync(mail, { recursive: true });
    const rc = join(dir, "rc");
    writeFileSync(
      rc,
      [
        "IMAPAccount remote",
        "Host 127.0.0.1",
        `Port ${f.port}`,
        `User ${email}`,
        `Pass ${PASSWORD}`,
        "SSLType IMAPS",
        `CertificateFile ${join(f.t.dataDir, "tls", "cert.pem")}`,
        "",
        "IMAPStore remote",
        "Account remote",
        "",
        "MaildirStore local",
        `Path ${mail}/`,
        `Inbox ${mail}/INBOX`,
        "SubFolders Verbatim",
        "",
        "Channel sync",
        "Far :remote:",
        "Near :local:",
        "Patterns *",
        "Create Both",
        "Expunge Both",
        "SyncState *",
        "",
      ].join("\n"),
    );

    // 1. Server → Maildir: every folder, every message, flags.
    await mbsync(rc);
    expect(readdirSync(mail).sort()).toEqual(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"]);
    expect(local(mail, "INBOX").map((m) => [m.subject, m.flags])).toEqual([
      ["one", ""],
      ["two", ""],
    ]);
    expect(local(mail, "Archive").map((m) => [m.subject, m.flags])).toEqual([["kept", "F"]]);

    // 2. Maildir → server: read one, delete two, write a new message, create a folder.
    const inbox = local(mail, "INBOX");
    const first = inbox[0] as LocalMessage;
    renameSync(first.path, first.path.replace(/:2,.*$/, ":2,S"));
    rmSync((inbox[1] as LocalMessage).path);
    writeFileSync(
      join(mail, "INBOX", "new", "1700000000.local1.host"),
      message({ subject: "written locally" }),
    );
    mkdirSync(join(mail, "Local", "cur"), { recursive: true });
    mkdirSync(join(mail, "Local", "new"));
    mkdirSync(join(mail, "Local", "tmp"));
    await mbsync(rc);
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${one.id}`)).body.data.unread).toBe(false);
    const serverInbox = (await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=inbox`)).body.data;
    expect(serverInbox.map((m: any) => m.subject).sort()).toEqual(["one", "written locally"]);
    const trash = (await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=trash`)).body.data;
    expect(trash.map((m: any) => m.subject)).toEqual(["two"]);
    const folders = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data;
    expect(folders.map((x: any) => x.name)).toContain("Local");

    // 3. API changes → re-sync: a star, a move, new mail, a deletion.
    const written = serverInbox.find((m: any) => m.subject === "written locally");
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${one.id}`, { starred: true });
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${written.id}`, { folders: ["archive"] });
    await deliver(f, grantId, message({ subject: "three" }));
    const kept = (await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=archive`)).body.data.find(
      (m: any) => m.subject === "kept",
    );
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${kept.id}`);
    await mbsync(rc);
    expect(local(mail, "INBOX").map((m) => [m.subject, m.flags])).toEqual([
      ["one", "FS"],
      ["three", ""],
    ]);
    expect(local(mail, "Archive").map((m) => m.subject)).toEqual(["written locally"]);
    expect(local(mail, "Trash").map((m) => m.subject)).toEqual(["kept", "two"]);

    // 4. A second run with nothing new changes nothing.
    await mbsync(rc);
    expect(local(mail, "INBOX")).toHaveLength(2);
  }, 60_000);
});
