/** Python's imaplib (the standard library client) against the server, over implicit TLS. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

const SCRIPT = String.raw`
import imaplib, json, os, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
M = imaplib.IMAP4_SSL("127.0.0.1", int(os.environ["PORT"]), ssl_context=ctx)
out = {}
out["login"] = M.login(os.environ["USER"], os.environ["PASS"])[0]
typ, boxes = M.list()
out["list"] = [b.decode() for b in boxes]
typ, data = M.select("INBOX")
out["exists"] = int(data[0])
typ, data = M.search(None, "FROM", "alice")
out["search"] = data[0].decode()
typ, data = M.fetch("1", "(RFC822)")
out["body"] = data[0][1].decode()
typ, data = M.fetch("1", "(FLAGS)")
out["flags"] = data[0].decode()
msg = b"From: py@example.com\r\nSubject: from python\r\nMessage-ID: <py1@example.com>\r\n\r\nhi\r\n"
out["append"] = M.append("Archive", "(\\Seen)", None, msg)[1][0].decode()
out["store"] = M.store("1", "+FLAGS", "(\\Flagged)")[1][0].decode()
out["copy"] = M.copy("1", "Archive")[1][0].decode()
M.store("1", "+FLAGS", "(\\Deleted)")
out["expunge"] = [x.decode() for x in M.expunge()[1] if x]
out["create"] = M.create("Py/Folder")[0]
out["status"] = M.status("Archive", "(MESSAGES UNSEEN)")[1][0].decode()
M.logout()
print(json.dumps(out))
`;

describe("Python imaplib", () => {
  test("a session: login, list, select, search, fetch, append, store, copy, expunge, create, status", async () => {
    const { email, grantId } = await f.account();
    const raw = message({ from: "Alice <alice@example.com>", subject: "py" });
    const m = await deliver(f, grantId, raw);
    const proc = Bun.spawn(["python3", "-c", SCRIPT], {
      env: { ...process.env, PORT: String(f.port), USER: email, PASS: PASSWORD },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.login).toBe("OK");
    expect(out.list).toContain('(\\HasNoChildren \\Sent) "/" "Sent"');
    expect(out.exists).toBe(1);
    expect(out.search).toBe("1");
    expect(out.body).toBe(raw);
    expect(out.flags).toBe("1 (FLAGS (\\Seen \\Recent))");
    expect(out.append).toMatch(/^\[APPENDUID \d+ 1\] APPEND completed$/);
    expect(out.store).toBe("1 (FLAGS (\\Seen \\Flagged \\Recent))");
    expect(out.expunge).toEqual(["1"]);
    expect(out.create).toBe("OK");
    expect(out.copy).toMatch(/^\[COPYUID \d+ 1 2\] COPY completed$/);
    expect(out.status).toBe('"Archive" (MESSAGES 2 UNSEEN 0)');
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${m.id}`)).body.data.folders).toEqual([
      "trash",
    ]);
  });
});
