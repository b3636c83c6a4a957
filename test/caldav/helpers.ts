import { expect } from "bun:test";
import { createAccount, PASSWORD, uniqueEmail } from "../api/helpers.ts";
import type { TestServer } from "../support/server.ts";

/** An account with an app password, and a fetch that speaks CalDAV as it (HTTP Basic). */
export async function davAccount(t: TestServer) {
  const email = uniqueEmail("dav");
  const grant = await createAccount(t, { email, app_password: PASSWORD });
  const calendars = await fetch(`${t.url}/v3/grants/${grant.id}/calendars`, {
    headers: { authorization: `Bearer ${t.apiKey}` },
  }).then((r) => r.json() as Promise<{ data: { id: string; is_primary: boolean }[] }>);
  const primaryId = calendars.data.find((c) => c.is_primary)?.id ?? "";
  const auth = `Basic ${Buffer.from(`${email}:${PASSWORD}`).toString("base64")}`;
  const home = `/dav/calendars/${email}/`;
  return {
    grantId: grant.id as string,
    email,
    primaryId,
    home,
    calendar: `${home}${primaryId}/`,
    auth,
    dav: (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
      davRequest(t, method, path, { ...init, headers: { authorization: auth, ...init.headers } }),
  };
}

export async function davRequest(
  t: TestServer,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: init.headers,
    body: init.body,
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const xmlHeaders = (depth?: string) => ({
  "content-type": "application/xml; charset=utf-8",
  ...(depth !== undefined && { depth }),
});

/** The hrefs of a multistatus body, in order. */
export const hrefsOf = (xml: string) =>
  [...xml.matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((m) => m[1] ?? "");

export function expectPrecondition(res: { status: number; text: string }, status: number, element: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.text).toContain(element);
}

export function ics(uid: string, lines: string[] = [], extra = ""): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//EN",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    "DTSTAMP:20260101T000000Z",
    ...(lines.length ? lines : ["DTSTART:20260302T140000Z", "DTEND:20260302T150000Z", "SUMMARY:Planning"]),
    "END:VEVENT",
    extra,
    "END:VCALENDAR",
    "",
  ]
    .filter((l) => l !== "")
    .join("\r\n")
    .concat("\r\n");
}
