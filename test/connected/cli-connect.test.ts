import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { dovecotInstalled, type PrivateDovecot, startPrivateDovecot } from "../support/dovecot.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;
const BIN = join(resolve(import.meta.dir, "../.."), "bin", "agentbox.cjs");
const USER = "eve@provider.test";

/** `agentbox account connect-imap` as a real subprocess (node bin/agentbox.cjs), the password on stdin. */
maybe("agentbox account connect-imap", () => {
  let provider: PrivateDovecot;
  let t: TestServer;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, "cli-secret-pw");
    await provider.addUser("login-name", "other-pw");
    t = await startTestServer({ AGENTBOX_PROVIDER_CA_FILE: provider.caFile });
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
    await provider?.destroy();
  }, 20_000);

  async function cli(args: string[], stdin: string | null) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AGENTBOX_")));
    const proc = Bun.spawn({
      cmd: ["node", BIN, ...args],
      env: { ...env, AGENTBOX_URL: t.url, AGENTBOX_API_KEY: t.apiKey } as Record<string, string>,
      stdin: stdin === null ? "ignore" : new TextEncoder().encode(stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { stdout, stderr, code };
  }
  const hostArgs = () => [
    "--host",
    "127.0.0.1",
    "--port",
    String(provider.tlsPort),
    "--smtp-host",
    "127.0.0.1",
    "--smtp-port",
    "587",
  ];

  test("connects with the password from stdin; the grant is an imap one", async () => {
    const run = await cli(
      ["account", "connect-imap", USER, ...hostArgs(), "--password-stdin"],
      "cli-secret-pw\n",
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("IMAP account connected");
    const grant = await api(t, "GET", `/v3/grants/${USER}`);
    expect(grant.body.data.provider).toBe("imap");
    expect(JSON.stringify(grant.body)).not.toContain("cli-secret-pw");
  });

  test("--username logs in under another name than the address", async () => {
    const run = await cli(
      [
        "account",
        "connect-imap",
        "frank@provider.test",
        ...hostArgs(),
        "--username",
        "login-name",
        "--password-stdin",
      ],
      "other-pw",
    );
    expect(run.code).toBe(0);
    const grant = await api(t, "GET", "/v3/grants/frank@provider.test");
    expect(grant.body.data.settings.imap_username).toBe("login-name");
  });

  test("a wrong password fails naming authentication; no password and no terminal is a usage error", async () => {
    const wrong = await cli(
      ["account", "connect-imap", "gus@provider.test", ...hostArgs(), "--password-stdin"],
      "nope\n",
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("IMAP authentication failed");
    const none = await cli(["account", "connect-imap", "gus@provider.test", ...hostArgs()], null);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("--password-stdin");
  });
});
