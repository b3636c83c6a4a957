/** curl's IMAP client (imaps://): list, fetch by UID, search, append by upload. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapFixture, imapFixture, message, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

async function curl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn(["curl", "--silent", "--show-error", "--insecure", "--max-time", "20", ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, out, err };
}

describe("curl imaps://", () => {
  test("list, fetch a message byte-exact, search, upload", async () => {
    const { email, grantId } = await f.account();
    const raw = message({ subject: "curl me" });
    await deliver(f, grantId, raw);
    const base = `imaps://127.0.0.1:${f.port}`;
    const user = ["--user", `${email}:${PASSWORD}`];

    const list = await curl([...user, `${base}/`]);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain('* LIST (\\HasNoChildren \\Trash) "/" "Trash"');

    const fetched = await curl([...user, `${base}/INBOX;UID=1`]);
    expect(fetched.code, fetched.err).toBe(0);
    expect(fetched.out).toBe(raw);

    const search = await curl([...user, `${base}/INBOX?SUBJECT%20curl`]);
    expect(search.code, search.err).toBe(0);
    expect(search.out.trim()).toBe("* SEARCH 1");

    const file = `${f.t.dataDir}/upload.eml`;
    await Bun.write(file, message({ subject: "uploaded by curl" }));
    const upload = await curl([...user, "-T", file, `${base}/Archive`]);
    expect(upload.code, upload.err).toBe(0);
    const again = await curl([...user, `${base}/Archive;UID=1;SECTION=HEADER.FIELDS%20(SUBJECT)`]);
    expect(again.out).toBe("Subject: uploaded by curl\r\n\r\n");

    const bad = await curl(["--user", `${email}:WrongPassw0rdWrongPass`, `${base}/`]);
    expect(bad.code).toBe(67); // CURLE_LOGIN_DENIED
  });
});
