import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { dovecotInstalled, type PrivateDovecot, startPrivateDovecot } from "../support/dovecot.ts";
import { type ServerProcess, spawnServer } from "../support/process.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;
const USER = "bea@provider.test";
const PASSWORD = "Pr0vider-secret-4be1c9";
const SMTP_PASSWORD = "Smtp-secret-77d2e0";

/** The provider passwords, through the real process with debug logs: not in its output, not on disk. */
maybe("provider passwords at rest and in logs", () => {
  let provider: PrivateDovecot;
  let server: ServerProcess;
  const apiKey = `abx_test_${crypto.randomUUID()}`;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, PASSWORD);
    server = spawnServer({
      AGENTBOX_API_KEY: apiKey,
      AGENTBOX_LOG_LEVEL: "debug",
      AGENTBOX_LOG_FORMAT: "json",
      AGENTBOX_PROVIDER_CA_FILE: provider.caFile,
    });
    await server.ready(20_000);
  }, 30_000);
  afterAll(async () => {
    server?.proc.kill();
    await server?.proc.exited;
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
    await provider?.destroy();
  });

  test("connecting logs no password and stores none in clear; the generated key file is 0600", async () => {
    const connect = (password: string) =>
      fetch(`${server.url}/v3/connect/custom`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          provider: "imap",
          settings: {
            imap_username: USER,
            imap_password: password,
            imap_host: "127.0.0.1",
            imap_port: provider.tlsPort,
            smtp_host: "127.0.0.1",
            smtp_port: 587,
            smtp_password: SMTP_PASSWORD,
          },
        }),
      });
    expect((await connect(`${PASSWORD}-wrong`)).status).toBe(400);
    const res = await connect(PASSWORD);
    const text = await res.text();
    expect(res.status).toBe(201);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(SMTP_PASSWORD);
    await Bun.sleep(200);
    const log = server.output();
    expect(log).toContain("IMAP account connected"); // the log was captured
    for (const secret of [PASSWORD, SMTP_PASSWORD]) expect(log).not.toContain(secret);
    const files = readdirSync(server.dataDir).filter((f) => f.startsWith("agentbox.db"));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(server.dataDir, f))));
    expect(bytes.includes(Buffer.from(USER))).toBe(true); // the account is in what was read
    for (const secret of [PASSWORD, SMTP_PASSWORD]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(statSync(join(server.dataDir, "secret.key")).mode & 0o777).toBe(0o600);
  }, 20_000);
});
