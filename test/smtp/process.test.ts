import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { PASSWORD, uniqueEmail } from "../api/helpers.ts";
import { freePort, type ServerProcess, spawnServer } from "../support/process.ts";
import { type CaptureServer, startCaptureServer } from "./support/capture-server.ts";
import { eventually } from "./support/smtp.ts";
import { SmtpWire } from "./support/wire.ts";

/**
 * The real server process (`bun src/main.ts serve`): its SMTP ports at start-up, and what a
 * kill -9 leaves behind — for inbound mail (every 250 kept, none twice) and for the outbound
 * queue (delivery resumes after the restart).
 */

const API_KEY = `abx_test_${crypto.randomUUID()}`;

interface Ports {
  smtps: number;
  submission: number;
  mx: number;
}

function start(dataDir: string | undefined, ports: Ports, env: Record<string, string> = {}): ServerProcess {
  return spawnServer(
    {
      AGENTBOX_API_KEY: API_KEY,
      AGENTBOX_HOSTNAME: "mail.agentbox.test",
      AGENTBOX_SMTPS_PORT: String(ports.smtps),
      AGENTBOX_SUBMISSION_PORT: String(ports.submission),
      AGENTBOX_MX_PORT: String(ports.mx),
      AGENTBOX_LOG_LEVEL: "warn",
      ...env,
    },
    dataDir,
  );
}

const freshPorts = (): Ports => ({ smtps: freePort(), submission: freePort(), mx: freePort() });

async function createAccount(url: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("proc");
  const res = await fetch(`${url}/v3/connect/custom`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ provider: "nylas", settings: { email, app_password: PASSWORD } }),
  });
  const body = (await res.json()) as any;
  if (res.status !== 201) throw new Error(JSON.stringify(body));
  return { id: body.data.id, email };
}

describe("start-up", () => {
  test.each([
    ["smtps", "AGENTBOX_SMTPS_PORT", "SMTP submission (implicit TLS)"],
    ["submission", "AGENTBOX_SUBMISSION_PORT", "SMTP submission (STARTTLS)"],
    ["mx", "AGENTBOX_MX_PORT", "SMTP MX"],
  ] as const)(
    "a busy %s port: exit non-zero naming the listener, address and variable",
    async (which, variable, what) => {
      const ports = freshPorts();
      const holder = Bun.listen({ hostname: "127.0.0.1", port: ports[which], socket: { data() {} } });
      try {
        const s = start(undefined, ports);
        expect(await s.proc.exited).toBe(1);
        expect(s.output()).toContain(
          `cannot listen for ${what} on 127.0.0.1:${ports[which]} (${variable}): address already in use`,
        );
        rmSync(s.dataDir, { recursive: true, force: true });
      } finally {
        holder.stop(true);
      }
    },
  );

  test("once /healthz says ready, every SMTP port greets at once", async () => {
    const ports = freshPorts();
    const s = start(undefined, ports);
    try {
      await s.ready();
      for (const port of [ports.submission, ports.mx]) {
        const wire = await SmtpWire.open(port);
        expect((await wire.read()).text).toMatch(/^mail\.agentbox\.test ESMTP agentbox/);
        wire.close();
      }
      const tls = await SmtpWire.open(ports.smtps, {
        tls: { ca: await Bun.file(join(s.dataDir, "tls/cert.pem")).text() },
      });
      expect((await tls.read()).code).toBe(220);
      tls.close();
    } finally {
      s.proc.kill("SIGTERM");
      await s.proc.exited;
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  });
});

describe("kill -9 during a burst of inbound mail", () => {
  test("every message that got 250 is there after the restart, and none twice", async () => {
    const ports = freshPorts();
    const s = start(undefined, ports);
    await s.ready();
    const rcpt = await createAccount(s.url);
    const accepted = new Set<string>();
    let attempted = 0;
    let stop = false;
    const sessions = Array.from({ length: 10 }, async (_, session) => {
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port: ports.mx,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        logger: false,
      });
      for (let i = 0; !stop; i++) {
        const id = `<burst-${session}-${i}@remote.example>`;
        attempted++;
        try {
          await transport.sendMail({
            envelope: { from: "burst@remote.example", to: [rcpt.email] },
            raw: `Message-ID: ${id}\r\nSubject: burst ${session}/${i}\r\n\r\n${"x".repeat(2000)}\r\n`,
          });
          accepted.add(id);
        } catch {
          break; // the server died: whatever got no 250 may or may not be stored
        }
      }
      transport.close();
    });
    await eventually(async () => accepted.size >= 150, 20_000);
    s.proc.kill("SIGKILL");
    await s.proc.exited;
    stop = true;
    await Promise.all(sessions);

    const again = start(s.dataDir, ports);
    await again.ready();
    try {
      const db = new Database(join(s.dataDir, "agentbox.db"), { readonly: true });
      const rows = db
        .query<{ id: string; n: number }, [string]>(
          "SELECT message_id_header AS id, count(*) AS n FROM messages WHERE grant_id = ? GROUP BY 1",
        )
        .all(rcpt.id);
      db.close();
      const stored = new Map(rows.map((r) => [r.id, r.n]));
      const missing = [...accepted].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(rows.filter((r) => r.n > 1)).toEqual([]);
      // At most the transactions in flight at the kill were stored without their 250.
      expect(stored.size - accepted.size).toBeLessThanOrEqual(10);
      expect(attempted).toBeGreaterThan(accepted.size);
    } finally {
      again.proc.kill("SIGTERM");
      await again.proc.exited;
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("kill -9 with outbound mail in flight", () => {
  let relay: CaptureServer;
  beforeAll(async () => {
    relay = await startCaptureServer();
  });
  afterAll(() => relay.close());

  test("the queue survives: claimed rows go back to the queue and are delivered after the restart", async () => {
    const ports = freshPorts();
    const env = {
      AGENTBOX_SMTP_RELAY: `smtp://127.0.0.1:${relay.port}`,
      AGENTBOX_SMTP_QUEUE_POLL_MS: "50",
    };
    relay.dataDelayMs = 3000;
    const s = start(undefined, ports, env);
    await s.ready();
    const sender = await createAccount(s.url);
    const subjects: string[] = [];
    for (let i = 0; i < 6; i++) {
      const subject = `resume ${i}`;
      subjects.push(subject);
      const res = await fetch(`${s.url}/v3/grants/${sender.id}/messages/send`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ to: [{ email: `r${i}@far.example` }], subject, body: "x" }),
      });
      expect(res.status).toBe(200);
    }
    await eventually(async () => relay.connections > 0);
    await Bun.sleep(300);
    s.proc.kill("SIGKILL");
    await s.proc.exited;
    const statusesAtKill = readQueue(s.dataDir, sender.id).map((r) => r.status);
    expect(statusesAtKill).toContain("sending");
    expect(statusesAtKill).not.toContain("delivered");

    relay.dataDelayMs = 0;
    const again = start(s.dataDir, ports, env);
    await again.ready();
    try {
      await eventually(
        async () => readQueue(s.dataDir, sender.id).every((r) => r.status === "delivered"),
        20_000,
      );
      const seen = new Set(relay.messages.map((m) => /Subject: (resume \d)/.exec(m.raw.toString())?.[1]));
      for (const subject of subjects) expect(seen.has(subject)).toBe(true);
    } finally {
      again.proc.kill("SIGTERM");
      await again.proc.exited;
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

function readQueue(dataDir: string, grantId: string): { status: string }[] {
  const db = new Database(join(dataDir, "agentbox.db"), { readonly: true });
  try {
    return db
      .query<{ status: string }, [string]>("SELECT status FROM outbound_queue WHERE grant_id = ?")
      .all(grantId);
  } finally {
    db.close();
  }
}
