import { describe, expect, test } from "bun:test";
import { reconnectDelayMs } from "../../src/connected/sync/backoff.ts";
import { ConnectionSlots } from "../../src/connected/sync/connection-slots.ts";
import { fingerprintOf } from "../../src/connected/sync/fingerprints.ts";
import { flagsFromProvider } from "../../src/connected/sync/provider-flags.ts";
import { hasMessageId } from "../../src/connected/sync/store-fetched.ts";

describe("reconnect backoff", () => {
  test("doubles from 1 s to a 60 s ceiling, jittered between half and all of it", () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(500);
    expect(reconnectDelayMs(0, () => 1)).toBe(1_000);
    expect(reconnectDelayMs(3, () => 1)).toBe(8_000);
    expect(reconnectDelayMs(30, () => 1)).toBe(60_000);
    expect(reconnectDelayMs(30, () => 0)).toBe(30_000);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(2)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe("connection slots", () => {
  test("bound what is in use; a waiter gets the next release, in order", async () => {
    const slots = new ConnectionSlots(2);
    const a = await slots.acquire();
    const b = slots.tryAcquire();
    expect(b).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    const order: string[] = [];
    const c = slots.acquire().then((release) => {
      order.push("c");
      return release;
    });
    const d = slots.acquire().then((release) => {
      order.push("d");
      return release;
    });
    a();
    a(); // a second release of the same slot frees nothing
    (await c)();
    b?.();
    (await d)();
    expect(order).toEqual(["c", "d"]);
    expect(slots.inUse).toBe(0);
  });
});

describe("what identifies a message across a UIDVALIDITY change", () => {
  test("Message-ID and size, else INTERNALDATE and size", () => {
    expect(fingerprintOf("<a@b>", 10, 5_000)).toBe(fingerprintOf("a@b", 10, 9_000));
    expect(fingerprintOf("<a@b>", 10, 5_000)).not.toBe(fingerprintOf("<a@b>", 11, 5_000));
    expect(fingerprintOf(null, 10, 5_000)).toBe(fingerprintOf(undefined, 10, 5_400));
    expect(fingerprintOf(null, 10, 5_000)).not.toBe(fingerprintOf(null, 10, 6_000));
  });
});

describe("provider flags", () => {
  test("system flags by name (any case), keywords kept, \\Recent dropped", () => {
    expect(flagsFromProvider(["\\Seen", "\\FLAGGED", "$Label1", "\\Recent"])).toEqual({
      seen: true,
      flagged: true,
      answered: false,
      draft: false,
      deleted: false,
      keywords: ["$Label1"],
    });
  });
});

describe("a message the sync keeps has a Message-ID (the seed's rule)", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  test("in the header block, any case, folded or not", () => {
    expect(hasMessageId(bytes("Subject: x\r\nMessage-ID: <a@b>\r\n\r\nbody"))).toBe(true);
    expect(hasMessageId(bytes("message-id:\r\n <a@b>\r\nSubject: x\r\n\r\nbody"))).toBe(true);
    expect(hasMessageId(bytes("Subject: x\nMESSAGE-ID:<a@b>\n\nbody"))).toBe(true);
  });
  test("not when missing, empty, or only in the body", () => {
    expect(hasMessageId(bytes("Subject: x\r\n\r\nMessage-ID: <a@b>\r\n"))).toBe(false);
    expect(hasMessageId(bytes("Subject: x\r\nMessage-ID: \r\n\r\nbody"))).toBe(false);
    expect(hasMessageId(bytes("X-Message-ID: <a@b>\r\n\r\nbody"))).toBe(false);
  });
});
