import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { freePort, spawnServer } from "../support/process.ts";

describe("npm start (src/main.ts serve)", () => {
  test("first start with no configuration creates the data dir, database, TLS pair, API key and trial domain", async () => {
    const s = spawnServer();
    await s.ready();
    const keyFile = join(s.dataDir, "api-key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key).toMatch(/^abx_[A-Za-z0-9_-]{43}$/);
    expect(s.output()).toContain(key); // printed once on stdout…
    expect(s.output().split(key).length - 1).toBe(1); // …and only once
    expect(existsSync(join(s.dataDir, "agentbox.db"))).toBe(true);
    expect(existsSync(join(s.dataDir, "tls", "cert.pem"))).toBe(true);
    const domains = await fetch(`${s.url}/v3/admin/domains`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await domains.json()) as { data: { domain_address: string; verified_mx: boolean }[] };
    expect(body.data.map((d) => d.domain_address)).toEqual(["agents.localhost"]);
    s.proc.kill("SIGTERM");
    await s.proc.exited;

    // A second start reuses everything and prints no new key.
    const again = spawnServer({}, s.dataDir);
    await again.ready();
    expect(readFileSync(keyFile, "utf8").trim()).toBe(key);
    expect(again.output()).not.toContain("generated an API key");
    again.proc.kill("SIGTERM");
    await again.proc.exited;
  });

  test("a busy port makes the process exit non-zero with a message naming the port", async () => {
    const port = freePort();
    const holder = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
    try {
      const s = spawnServer({ AGENTBOX_HTTP_PORT: String(port) });
      const code = await s.proc.exited;
      expect(code).not.toBe(0);
      expect(s.output()).toContain(`127.0.0.1:${port} (AGENTBOX_HTTP_PORT)`);
    } finally {
      holder.stop(true);
    }
  });

  test("an unsupported database URL exits non-zero and says so", async () => {
    const s = spawnServer({ AGENTBOX_DATABASE_URL: "libsql://user:secret@db.example.com" });
    expect(await s.proc.exited).toBe(1);
    expect(s.output()).toContain("not supported yet");
    expect(s.output()).not.toContain("secret");
  });

  test("SIGTERM shuts down gracefully: exit 0, listeners closed", async () => {
    const s = spawnServer();
    await s.ready();
    s.proc.kill("SIGTERM");
    expect(await s.proc.exited).toBe(0);
    expect(s.output()).toContain("agentbox stopped");
    const after = await fetch(`${s.url}/healthz`).then(
      () => "answered",
      () => "refused",
    );
    expect(after).toBe("refused");
  });

  test("AGENTBOX_API_KEY is honoured, secrets never reach the logs, and replacing the key revokes the old one", async () => {
    const first = spawnServer({ AGENTBOX_API_KEY: "abx_operator_key_one_0123456789" });
    await first.ready();
    const ok = await fetch(`${first.url}/v3/grants`, {
      headers: { authorization: "Bearer abx_operator_key_one_0123456789" },
    });
    expect(ok.status).toBe(200);
    const created = await fetch(`${first.url}/v3/connect/custom`, {
      method: "POST",
      headers: {
        authorization: "Bearer abx_operator_key_one_0123456789",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        provider: "nylas",
        settings: { email: "logs@agents.localhost", app_password: "NeverLogMe123456789x" },
      }),
    });
    expect(created.status).toBe(201);
    await Bun.sleep(50);
    expect(first.output()).toContain('"status":201'); // the request was logged…
    expect(first.output()).not.toContain("NeverLogMe"); // …without its secrets
    expect(first.output()).not.toContain("abx_operator_key_one");
    expect(existsSync(join(first.dataDir, "api-key"))).toBe(false);
    first.proc.kill("SIGTERM");
    await first.proc.exited;
    const second = spawnServer({ AGENTBOX_API_KEY: "abx_operator_key_two_0123456789" }, first.dataDir);
    await second.ready();
    const old = await fetch(`${second.url}/v3/grants`, {
      headers: { authorization: "Bearer abx_operator_key_one_0123456789" },
    });
    expect(old.status).toBe(401);
    const next = await fetch(`${second.url}/v3/grants`, {
      headers: { authorization: "Bearer abx_operator_key_two_0123456789" },
    });
    expect(next.status).toBe(200);
    second.proc.kill("SIGTERM");
    await second.proc.exited;
  });
});

describe("durability", () => {
  test("kill -9 during a burst of account creations: every 201 survives, nothing is half-written", async () => {
    const key = "abx_durability_test_key_0123456789";
    const s = spawnServer({ AGENTBOX_API_KEY: key });
    await s.ready();
    const acknowledged: string[] = [];
    let killed = false;
    const create = async (i: number) => {
      const email = `d${i}@agents.localhost`;
      try {
        const res = await fetch(`${s.url}/v3/connect/custom`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ provider: "nylas", settings: { email } }),
        });
        if (res.status === 201) acknowledged.push(email);
      } catch {
        // connection reset by the kill: not acknowledged
      }
    };
    const load = (async () => {
      for (let i = 0; !killed && i < 5000; i += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, j) => create(i + j)));
      }
    })();
    while (acknowledged.length < 200) await Bun.sleep(5);
    s.proc.kill("SIGKILL");
    killed = true;
    await s.proc.exited;
    await load;

    const after = spawnServer({ AGENTBOX_API_KEY: key }, s.dataDir);
    await after.ready();
    const found = new Set<string>();
    for (let offset = 0; ; offset += 200) {
      const res = await fetch(`${after.url}/v3/grants?limit=200&offset=${offset}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const page = (await res.json()) as { data: { id: string; email: string }[] };
      for (const g of page.data) found.add(g.email);
      if (page.data.length < 200) break;
    }
    const lost = acknowledged.filter((e) => !found.has(e));
    expect(lost).toEqual([]);
    // No half-created account: every grant that exists has its six folders (checked via the DB file).
    const db = new Database(join(s.dataDir, "agentbox.db"));
    const orphans = db
      .query(
        "SELECT g.email FROM grants g LEFT JOIN folders f ON f.grant_id = g.id GROUP BY g.id HAVING count(f.id) <> 6",
      )
      .all();
    db.close();
    expect(orphans.length).toBe(0);
    after.proc.kill("SIGTERM");
    await after.proc.exited;
  }, 60_000);
});
