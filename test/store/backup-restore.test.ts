import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { PASSWORD, uniqueEmail } from "../api/helpers.ts";
import { freePort, type ServerProcess, spawnServer } from "../support/process.ts";

/**
 * `agentbox backup FILE` while the server process takes mail over SMTP, then `agentbox restore
 * FILE` on the stopped server: every message acknowledged before the backup began comes back,
 * byte for byte, and nothing the live server never had.
 */

const API_KEY = `abx_test_${crypto.randomUUID()}`;
const dirs: string[] = [];
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) if (s.proc.exitCode === null) s.proc.kill("SIGTERM");
  await Promise.all(running.map((s) => s.proc.exited));
});

function start(dataDir: string, mx: number): ServerProcess {
  const s = spawnServer(
    { AGENTBOX_API_KEY: API_KEY, AGENTBOX_MX_PORT: String(mx), AGENTBOX_LOG_LEVEL: "warn" },
    dataDir,
  );
  running.push(s);
  return s;
}

/** `agentbox <args>` as an operator runs it (bin/agentbox.cjs under node), on `dataDir`. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(["node", "bin/agentbox.cjs", ...args], {
    env: { ...process.env, AGENTBOX_DATA_DIR: dataDir },
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

async function createAccount(url: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("backup");
  const res = await fetch(`${url}/v3/connect/custom`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ provider: "nylas", settings: { email, app_password: PASSWORD } }),
  });
  const body = (await res.json()) as any;
  if (res.status !== 201) throw new Error(JSON.stringify(body));
  return { id: body.data.id, email };
}

/** Every message of the grant: id → the exact stored bytes (raw_mime), through the API. */
async function rawMessages(url: string, grantId: string): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ fields: "raw_mime", limit: "200", ...(token && { page_token: token }) });
    const res = await fetch(`${url}/v3/grants/${grantId}/messages?${q}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const body = (await res.json()) as { data: { id: string; raw_mime: string }[]; next_cursor?: string };
    for (const m of body.data) all.set(m.id, m.raw_mime);
    token = body.next_cursor;
  } while (token);
  return all;
}

/** Message-ID header → message id, from the raw bytes. */
function byMessageIdHeader(raws: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, raw] of raws) {
    const header = Buffer.from(raw, "base64url")
      .toString("latin1")
      .match(/^Message-ID: (<[^>]+>)/im)?.[1];
    if (header) out.set(header, id);
  }
  return out;
}

describe("agentbox backup / restore", () => {
  test("a backup under SMTP load restores every acknowledged message byte for byte", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "agentbox-backup-"));
    dirs.push(dataDir);
    const file = join(mkdtempSync(join(tmpdir(), "agentbox-backup-file-")), "snapshot.db");
    const mx = freePort();
    const s = start(dataDir, mx);
    await s.ready();
    const rcpt = await createAccount(s.url);

    const accepted: { id: string; at: number; ms: number }[] = [];
    let stop = false;
    const sessions = Array.from({ length: 6 }, async (_, session) => {
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port: mx,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        logger: false,
      });
      for (let i = 0; !stop; i++) {
        const id = `<load-${session}-${i}@remote.example>`;
        const began = performance.now();
        await transport.sendMail({
          envelope: { from: "load@remote.example", to: [rcpt.email] },
          raw: `Message-ID: ${id}\r\nSubject: load ${session}/${i}\r\n\r\n${"y".repeat(3000)}\r\n`,
        });
        accepted.push({ id, at: performance.now(), ms: performance.now() - began });
      }
      transport.close();
    });
    while (accepted.length < 120) await Bun.sleep(20);

    const backupStarted = performance.now();
    const before = new Set(accepted.map((a) => a.id));
    const backup = await cli(dataDir, "backup", file);
    const backupEnded = performance.now();
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toContain("snapshot.db");
    const during = accepted.filter((a) => a.at > backupStarted && a.at - a.ms < backupEnded);
    const sendsAfter = accepted.length;
    while (accepted.length < sendsAfter + 30) await Bun.sleep(20);
    stop = true;
    await Promise.all(sessions);
    // Mail kept flowing while the snapshot was taken.
    expect(accepted.length).toBeGreaterThan(before.size);
    const slowest = (list: typeof accepted) => Math.round(Math.max(0, ...list.map((a) => a.ms)));
    const quiet = accepted.filter((a) => a.at < backupStarted).slice(20);
    console.log(
      `backup: ${Math.round(backupEnded - backupStarted)} ms (CLI start included); SMTP acknowledgements meanwhile: ${during.length}, slowest ${slowest(during)} ms (before the backup: slowest ${slowest(quiet)} ms of ${quiet.length})`,
    );

    // A second backup to the same name is refused: the first one is never overwritten.
    expect((await cli(dataDir, "backup", file)).code).toBe(1);
    // Restoring on a running server is refused, and leaves the live database alone.
    const refused = await cli(dataDir, "restore", file);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("stop the server");

    const live = await rawMessages(s.url, rcpt.id);
    expect(live.size).toBe(accepted.length);
    s.proc.kill("SIGTERM");
    expect(await s.proc.exited).toBe(0);

    const restore = await cli(dataDir, "restore", file);
    expect(restore.code, restore.out).toBe(0);
    expect(readdirSync(dataDir).some((f) => f.startsWith("agentbox.db.before-restore-"))).toBe(true);

    const again = start(dataDir, mx);
    await again.ready();
    const restored = await rawMessages(again.url, rcpt.id);
    const restoredIds = byMessageIdHeader(restored);
    // Everything acknowledged before the backup began is there…
    expect([...before].filter((id) => !restoredIds.has(id))).toEqual([]);
    // …each message exactly as the live server stored it, and nothing it never had.
    for (const [id, raw] of restored) expect(raw).toBe(live.get(id) as string);
    expect(restored.size).toBeLessThan(live.size);
    again.proc.kill("SIGTERM");
    await again.proc.exited;
  }, 90_000);

  test("a file that is not an agentbox database is refused, and the database stays", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "agentbox-backup-"));
    const junk = join(dataDir, "junk.db");
    writeFileSync(junk, "not a database at all, just text that is long enough to look like one".repeat(100));
    const res = await cli(dataDir, "restore", junk);
    expect(res.code).toBe(1);
    expect(res.out).toContain("not an agentbox database");
    expect(existsSync(join(dataDir, "agentbox.db"))).toBe(false);
    const missing = await cli(dataDir, "restore", join(dataDir, "nope.db"));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("no such file");
  });
});
