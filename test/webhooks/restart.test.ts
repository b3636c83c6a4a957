import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount } from "../api/helpers.ts";
import { freePort, spawnServer } from "../support/process.ts";
import { api, startTestServer } from "../support/server.ts";
import { type Delivery, Receiver, signedWith, subscribe } from "./receiver.ts";

/** Nothing committed is lost across a restart: graceful (SIGTERM path) or a crash (SIGKILL). */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "agentbox-webhook-restart-"));
  dirs.push(dir);
  return dir;
}

const objectId = (d: Delivery) => d.body.data.object.id as string;
const FAST = "0.1,0.2,0.3,0.5,0.5,0.5,0.5,0.5,0.5,0.5";

describe("a receiver down across a server restart", () => {
  test("everything committed while it was down, or just before the stop, is delivered after", async () => {
    const env = {
      AGENTBOX_DATA_DIR: dataDir(),
      AGENTBOX_API_KEY: `abx_test_${crypto.randomUUID()}`,
      AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S: FAST,
    };
    // startTestServer reports its own generated key; the one in env is what the server accepts.
    const start = async () => ({ ...(await startTestServer(env)), apiKey: env.AGENTBOX_API_KEY });
    let t = await start();
    const receiver = Receiver.start();
    const hook = await subscribe(t, receiver.url, ["folder.created"]);
    const grantId = (await createAccount(t)).id;
    const create = async (n: number, prefix: string) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        ids.push((await t.server.mailboxes.ask(grantId, "createFolder", { name: `${prefix}-${i}` })).id);
      }
      return ids;
    };

    const delivered = await create(5, "up");
    await receiver.waitFor(5);
    await Bun.sleep(100); // let the last answer reach the server before the receiver goes away
    await receiver.stop();
    const whileDown = await create(5, "down");
    for (let i = 0; i < 100; i++) {
      const state = (await api(t, "GET", `/v3/webhooks/${hook.id}`)).body.data.delivery;
      if (state.pending === 5) break;
      await Bun.sleep(20);
    }
    expect((await api(t, "GET", `/v3/webhooks/${hook.id}`)).body.data.delivery.pending).toBe(5);
    const lastMinute = await create(5, "last");
    await t.server.stop(); // keep the data directory

    t = await start();
    const before = receiver.deliveries.length;
    receiver.restart();
    const expected = [...whileDown, ...lastMinute];
    await receiver.waitFor(before + expected.length, () => true, 10_000);
    const after = receiver.deliveries.slice(before);
    for (const id of expected) expect(after.map(objectId)).toContain(id);
    for (const id of delivered) expect(after.map(objectId)).not.toContain(id);
    expect(after.every((d) => signedWith(d, hook.webhook_secret))).toBe(true);
    // The notifications in retry kept their ids and counted on from their earlier attempts.
    for (const d of after.filter((x) => whileDown.includes(objectId(x)))) {
      expect(d.body.webhook_delivery_attempt).toBeGreaterThan(1);
    }
    await Bun.sleep(200);
    const state = (await api(t, "GET", `/v3/webhooks/${hook.id}`)).body.data;
    expect(state.delivery).toMatchObject({ pending: 0, failed: 0, backlog: 0 });
    await t.server.stop();
    await receiver.stop();
  });
});

describe("a crash", () => {
  test("after kill -9, every committed event is delivered (at least once, same notification id)", async () => {
    const dir = dataDir();
    const apiKey = `abx_test_${crypto.randomUUID()}`;
    const port = String(freePort());
    const env = {
      AGENTBOX_API_KEY: apiKey,
      AGENTBOX_HTTP_PORT: port,
      AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S: FAST,
    };
    const receiver = Receiver.start();
    let proc = spawnServer(env, dir);
    await proc.ready();
    const target = { url: proc.url, apiKey };
    const hook = await subscribe(target, receiver.url, ["folder.created"]);
    const grantId = (await createAccount(target)).id;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await api(target, "POST", `/v3/grants/${grantId}/folders`, { name: `crash-${i}` });
      expect(res.status).toBe(200);
      ids.push(res.body.data.id);
    }
    proc.proc.kill("SIGKILL");
    await proc.proc.exited;
    const seenBefore = new Map(receiver.deliveries.map((d) => [objectId(d), d.body.id]));

    proc = spawnServer(env, dir);
    await proc.ready();
    for (let i = 0; i < 200; i++) {
      if (ids.every((id) => receiver.deliveries.some((d) => objectId(d) === id))) break;
      await Bun.sleep(25);
    }
    for (const id of ids) expect(receiver.deliveries.map(objectId)).toContain(id);
    for (const d of receiver.deliveries) {
      expect(signedWith(d, hook.webhook_secret)).toBe(true);
      const earlier = seenBefore.get(objectId(d));
      if (earlier) expect(d.body.id).toBe(earlier);
    }
    proc.proc.kill("SIGTERM");
    await proc.proc.exited;
    await receiver.stop();
  });
});
