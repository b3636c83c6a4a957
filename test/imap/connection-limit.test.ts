import { expect, test } from "bun:test";
import { ConnectionLimit } from "../../protocols/imap/connection-limit.ts";

test("IMAP connections per address: an IPv6 client counts by its /64; leaving frees its slot", () => {
  const limit = new ConnectionLimit(2, 100);
  expect(limit.enter("2001:db8:1:2::1")).toBeNull();
  expect(limit.enter("2001:db8:1:2::2")).toBeNull();
  expect(limit.enter("2001:db8:1:2::3")).toContain("Too many connections from your address");
  expect(limit.enter("2001:db8:1:3::3")).toBeNull();
  limit.leave("2001:db8:1:2::1");
  expect(limit.enter("2001:db8:1:2::9")).toBeNull();
});
