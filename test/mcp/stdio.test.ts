import { afterAll, beforeAll } from "bun:test";
import { startTestServer, type TestServer } from "../support/server.ts";
import { calendarToolSuite } from "./calendar-tool-suite.ts";
import { stdioClient } from "./clients.ts";
import { toolSuite } from "./tool-suite.ts";

/** `npx agentbox mcp serve`: the same tools over stdio, calling the server's API over HTTP. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

toolSuite(
  "stdio",
  () => t,
  () => stdioClient(t),
);

calendarToolSuite(
  "stdio",
  () => t,
  () => stdioClient(t),
);
