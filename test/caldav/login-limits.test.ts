import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapFlow } from "imapflow";
import { PASSWORD } from "../api/helpers.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { davAccount, davRequest, xmlHeaders } from "./helpers.ts";

/** CalDAV's Basic logins share the IMAP/SMTP budget of wrong guesses (src/accounts/password-login.ts). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    AGENTBOX_LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
    AGENTBOX_LOGIN_FAILURE_WINDOW_S: "60",
  });
});
afterAll(() => t.stop());

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;

describe("login limits", () => {
  test("wrong passwords over CalDAV fill the account's budget: then CalDAV answers 429 and IMAP refuses too", async () => {
    const a = await davAccount(t);
    expect((await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("0") })).status).toBe(207);
    for (let i = 0; i < 3; i++) {
      const wrong = await davRequest(t, "PROPFIND", a.calendar, {
        headers: { ...xmlHeaders("0"), authorization: basic(a.email, `wrong-password-${i}-xxxxxxxx`) },
      });
      expect(wrong.status).toBe(401);
    }
    const limited = await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("0") });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const imap = new ImapFlow({
      host: "127.0.0.1",
      port: t.server.ports.imaps,
      secure: true,
      auth: { user: a.email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    let refused: unknown = null;
    await imap.connect().catch((e) => {
      refused = e;
    });
    expect(refused).not.toBeNull();
    await imap.logout().catch(() => {});
  });

  test("a rotated app password is refused at once", async () => {
    const a = await davAccount(t);
    expect((await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("0") })).status).toBe(207);
    const rotated = await fetch(`${t.url}/v3/grants/${a.grantId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ settings: { app_password: "An0therSecurePassw0rd" } }),
    });
    expect(rotated.status).toBe(200);
    expect((await a.dav("PROPFIND", a.calendar, { headers: xmlHeaders("0") })).status).toBe(401);
  });
});
