import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestServer } from "../support/server.ts";
import { eventually, folder, type Mailbox, mailbox, startSmtpTestServer } from "./support/smtp.ts";

/**
 * Real mail clients from Debian (installed by .ci/run) and Python's smtplib, on both submission
 * ports and on the MX, each verifying the server's certificate.
 */

let t: TestServer;
let dir: string;
let caFile: string;
let a: Mailbox;
let b: Mailbox;

beforeAll(async () => {
  t = await startSmtpTestServer();
  dir = mkdtempSync(join(tmpdir(), "agentbox-clients-"));
  caFile = join(dir, "ca.pem");
  writeFileSync(caFile, t.server.tls.cert);
  a = await mailbox(t, "client-a");
  b = await mailbox(t, "client-b");
});
afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(cmd: string[], stdin?: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, {
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill(), 20_000);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, out: out + err };
}

async function arrived(grantId: string, folderId: string, subject: string) {
  return eventually(async () => (await folder(t, grantId, folderId)).find((m) => m.subject === subject));
}

const message = (from: string, to: string, subject: string) =>
  `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@client.example>\r\n\r\nsent by a real client\r\n`;

describe("swaks", () => {
  const swaks = (port: number, ...args: string[]) =>
    run(["swaks", "--server", `127.0.0.1:${port}`, "--tls-verify", "--tls-ca-path", caFile, ...args]);

  test("465 (implicit TLS) and 587 (STARTTLS) with AUTH PLAIN and LOGIN", async () => {
    const r465 = await swaks(
      t.server.ports.smtps,
      "--tls-on-connect",
      "--auth",
      "PLAIN",
      "--auth-user",
      a.email,
      "--auth-password",
      a.password,
      "--from",
      a.email,
      "--to",
      b.email,
      "--header",
      "Subject: swaks 465",
    );
    expect(r465.code, r465.out).toBe(0);
    const r587 = await swaks(
      t.server.ports.submission,
      "--tls",
      "--auth",
      "LOGIN",
      "--auth-user",
      a.email,
      "--auth-password",
      a.password,
      "--from",
      a.email,
      "--to",
      b.email,
      "--header",
      "Subject: swaks 587",
    );
    expect(r587.code, r587.out).toBe(0);
    await arrived(b.id, "inbox", "swaks 465");
    await arrived(b.id, "inbox", "swaks 587");
    await arrived(a.id, "sent", "swaks 587");
  });

  test("the MX with STARTTLS, no AUTH", async () => {
    const r = await swaks(
      t.server.ports.mx,
      "--tls",
      "--from",
      "someone@remote.example",
      "--to",
      b.email,
      "--header",
      "Subject: swaks mx",
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/<~ {2}250 2\.6\.0 /);
    await arrived(b.id, "inbox", "swaks mx");
  });

  test("without the server's certificate as CA, verification fails and nothing is sent", async () => {
    const r = await run([
      "swaks",
      "--server",
      `127.0.0.1:${t.server.ports.smtps}`,
      "--tls-on-connect",
      "--tls-verify",
      "--quit-after",
      "EHLO",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/certificate verify failed|TLS startup failed/i);
  });

  test("a wrong password is refused with 535 5.7.8", async () => {
    const r = await swaks(
      t.server.ports.smtps,
      "--tls-on-connect",
      "--auth",
      "PLAIN",
      "--auth-user",
      a.email,
      "--auth-password",
      "Wrong-password-1234567",
      "--from",
      a.email,
      "--to",
      b.email,
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("535 5.7.8");
  });
});

describe("msmtp", () => {
  const msmtp = (port: number, startTls: boolean, user: Mailbox | null, to: string, body: string) =>
    run(
      [
        "msmtp",
        "--host=127.0.0.1",
        `--port=${port}`,
        "--tls=on",
        `--tls-starttls=${startTls ? "on" : "off"}`,
        `--tls-trust-file=${caFile}`,
        ...(user
          ? ["--auth=on", `--user=${user.email}`, `--passwordeval=echo ${user.password}`]
          : ["--auth=off"]),
        `--from=${user?.email ?? "someone@remote.example"}`,
        to,
      ],
      body,
    );

  test("465 and 587", async () => {
    const r465 = await msmtp(t.server.ports.smtps, false, a, b.email, message(a.email, b.email, "msmtp 465"));
    expect(r465.code, r465.out).toBe(0);
    const r587 = await msmtp(
      t.server.ports.submission,
      true,
      a,
      b.email,
      message(a.email, b.email, "msmtp 587"),
    );
    expect(r587.code, r587.out).toBe(0);
    await arrived(b.id, "inbox", "msmtp 465");
    await arrived(b.id, "inbox", "msmtp 587");
  });

  test("the MX", async () => {
    const r = await msmtp(
      t.server.ports.mx,
      true,
      null,
      b.email,
      message("someone@remote.example", b.email, "msmtp mx"),
    );
    expect(r.code, r.out).toBe(0);
    await arrived(b.id, "inbox", "msmtp mx");
  });

  test("a From that is not the account is refused (553 5.7.1)", async () => {
    const r = await msmtp(
      t.server.ports.smtps,
      false,
      a,
      b.email,
      message("boss@agents.localhost", b.email, "msmtp spoof"),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("553 5.7.1");
  });
});

describe("Python smtplib", () => {
  const python = (script: string) => run(["python3", "-c", script]);
  const common = (port: number) => `
import smtplib, ssl, sys
ctx = ssl.create_default_context(cafile=${JSON.stringify(caFile)})
port = ${port}
`;

  test("465 (SMTP_SSL) and 587 (starttls), login, send_message", async () => {
    const script = `${common(t.server.ports.smtps)}
from email.message import EmailMessage
def msg(subject):
    m = EmailMessage()
    m["From"] = ${JSON.stringify(a.email)}
    m["To"] = ${JSON.stringify(b.email)}
    m["Subject"] = subject
    m.set_content("from smtplib")
    return m
with smtplib.SMTP_SSL("127.0.0.1", port, context=ctx) as s:
    s.login(${JSON.stringify(a.email)}, ${JSON.stringify(a.password)})
    s.send_message(msg("smtplib 465"))
with smtplib.SMTP("127.0.0.1", ${t.server.ports.submission}) as s:
    s.starttls(context=ctx)
    s.login(${JSON.stringify(a.email)}, ${JSON.stringify(a.password)})
    s.send_message(msg("smtplib 587"))
print("ok")
`;
    const r = await python(script);
    expect(r.code, r.out).toBe(0);
    await arrived(b.id, "inbox", "smtplib 465");
    await arrived(b.id, "inbox", "smtplib 587");
  });

  test("login before STARTTLS on 587 is refused; the MX takes mail after STARTTLS", async () => {
    const script = `${common(t.server.ports.submission)}
with smtplib.SMTP("127.0.0.1", port) as s:
    s.ehlo()
    code, text = s.docmd("AUTH", "PLAIN AGFAYg==")
    print(code, text.decode())
with smtplib.SMTP("127.0.0.1", ${t.server.ports.mx}) as s:
    s.starttls(context=ctx)
    refused = s.sendmail("x@remote.example", [${JSON.stringify(b.email)}, "nobody@agents.localhost"],
        "Subject: smtplib mx\\r\\n\\r\\nhello\\r\\n")
    print(refused)
`;
    const r = await python(script);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("538 5.7.11");
    expect(r.out).toContain(
      "'nobody@agents.localhost': (550, b'5.1.1 <nobody@agents.localhost>: no such mailbox here')",
    );
    await arrived(b.id, "inbox", "smtplib mx");
  });
});
