import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect as tcp } from "node:net";
import { pathParam } from "../../src/api/validate.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount } from "./helpers.ts";

/**
 * `.` and `..` as ids (issue 12, defect 6). fetch() resolves dot segments before sending, so
 * these requests go out on a raw socket, as an attacker's client would send them.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

/** One HTTP/1.1 request written as given (the path is not resolved); status and JSON body. */
async function raw(method: string, path: string): Promise<{ status: number; body: Record<string, any> }> {
  const port = Number(new URL(t.url).port);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = tcp(port, "127.0.0.1", () => {
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.apiKey}\r\n` +
          "Content-Length: 0\r\nConnection: close\r\n\r\n",
      );
    });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      received += chunk;
    });
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
  const [head = "", body = ""] = text.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), body: body ? JSON.parse(body) : {} };
}

describe("dot segments in ids", () => {
  test("DELETE …/folders/.. (and its escaped spellings) is refused; the account stays", async () => {
    const grant = await createAccount(t);
    for (const dots of ["..", "%2e%2e", ".%2e", "%2E.", "%2e%2E", ".", "%2e"]) {
      const res = await raw("DELETE", `/v3/grants/${grant.id}/folders/${dots}`);
      expect(res.status, `${dots}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error?.type).toBe("invalid_request_error");
    }
    const still = await api(t, "GET", `/v3/grants/${grant.id}`);
    expect(still.status).toBe(200);
  });

  test("GET …/messages/../.. does not list the grants; PUT …/messages/.. does not update the grant", async () => {
    const grant = await createAccount(t);
    const list = await raw("GET", `/v3/grants/${grant.id}/messages/../..`);
    expect(list.status, JSON.stringify(list.body)).toBe(400);
    expect(list.body.data).toBeUndefined();
    const put = await raw("PUT", `/v3/grants/${grant.id}/messages/..`);
    expect(put.status, JSON.stringify(put.body)).toBe(400);
  });

  test("a dot segment inside the path reaches no route of the parent", async () => {
    const grant = await createAccount(t);
    const res = await raw("GET", `/v3/grants/${grant.id}/attachments/../download?message_id=x`);
    expect(res.status).toBe(404);
    expect(res.body.error?.type).toBe("not_found_error");
  });

  test("an id that merely contains dots is an ordinary id", async () => {
    const grant = await createAccount(t);
    const res = await raw("GET", `/v3/grants/${grant.id}/folders/...`);
    expect(res.status).toBe(404);
    expect(res.body.error?.message).toContain("...");
  });
});

describe("pathParam", () => {
  test("refuses '.' and '..' however they reached a route", () => {
    expect(() => pathParam("..", "folder id")).toThrow("folder id in the path may not be '.' or '..'");
    expect(() => pathParam(".", "folder id")).toThrow("may not be '.' or '..'");
    expect(pathParam("...", "folder id")).toBe("...");
  });
});
