import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../api/helpers.ts";
import { freePort, type ServerProcess, spawnServer } from "../support/process.ts";

/**
 * The README's mail-client snippets, run as written against a live server: only the ports, the
 * certificate's path and the local mail folder are the test's.
 */

const README = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");

/** The fenced block right after `<!-- snippet: NAME -->`. */
function snippet(name: string): string {
  const match = README.match(new RegExp(`<!-- snippet: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\`\\n`));
  if (!match?.[1]) throw new Error(`README has no snippet ${name}`);
  return match[1];
}

const ports = { imaps: freePort(), smtps: freePort(), submission: freePort() };
const key = `abx_test_${crypto.randomUUID()}`;
const home = mkdtempSync(join(tmpdir(), "agentbox-clients-"));
let s: ServerProcess;

function localize(text: string): string {
  return text
    .replaceAll("1993", String(ports.imaps))
    .replaceAll("1465", String(ports.smtps))
    .replaceAll("1587", String(ports.submission))
    .replaceAll("data/tls/cert.pem", join(s.dataDir, "tls", "cert.pem"))
    .replaceAll("~/Mail/", `${home}/Mail/`);
}

async function run(cmd: string[], input?: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, {
    cwd: home,
    env: { ...process.env, HOME: home },
    stdin: input === undefined ? "ignore" : new TextEncoder().encode(input),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, out: out + err };
}

beforeAll(async () => {
  s = spawnServer({
    AGENTBOX_API_KEY: key,
    AGENTBOX_HOSTNAME: "localhost",
    AGENTBOX_IMAPS_PORT: String(ports.imaps),
    AGENTBOX_SMTPS_PORT: String(ports.smtps),
    AGENTBOX_SUBMISSION_PORT: String(ports.submission),
  });
  await s.ready();
  const res = await connect(
    { url: s.url, apiKey: key },
    { email: "bot@agents.localhost", app_password: "MySecureP4ssword!2024" },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});

afterAll(async () => {
  s.proc.kill("SIGTERM");
  await s.proc.exited;
});

describe("README mail-client snippets", () => {
  test("swaks sends over submission with STARTTLS", async () => {
    const command = localize(snippet("swaks")).replaceAll("\\\n", " ");
    const { code, out } = await run(["sh", "-c", command]);
    expect(code, out).toBe(0);
    expect(out).toContain("250");
  });

  test("msmtp sends over implicit TLS, trusting the server's certificate file", async () => {
    const rc = join(home, ".msmtprc");
    writeFileSync(rc, localize(snippet("msmtprc")));
    chmodSync(rc, 0o600);
    const { code, out } = await run(
      ["msmtp", "-C", rc, "-a", "agentbox", "bot@agents.localhost"],
      "Subject: hello from msmtp\n\nIt works.\n",
    );
    expect(code, out).toBe(0);
  });

  test("mbsync (isync 1.4) syncs the mailbox, both messages included", async () => {
    const rc = join(home, ".mbsyncrc");
    writeFileSync(rc, localize(snippet("mbsyncrc")));
    chmodSync(rc, 0o600);
    mkdirSync(join(home, "Mail", "agentbox"), { recursive: true });
    const { code, out } = await run(["mbsync", "-c", rc, "agentbox"]);
    expect(code, out).toBe(0);
    const inbox = join(home, "Mail", "agentbox", "INBOX");
    const files = ["cur", "new"].flatMap((d) => readdirSync(join(inbox, d)).map((f) => join(inbox, d, f)));
    const subjects = files.map((f) =>
      readFileSync(f, "utf8")
        .match(/^Subject: (.*)$/m)?.[1]
        ?.trim(),
    );
    expect(subjects.sort()).toEqual(["hello from msmtp", "hello from swaks"]);
  });
});
