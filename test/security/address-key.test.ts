import { describe, expect, test } from "bun:test";
import { addressKey } from "../../src/security/address-key.ts";

describe("addressKey", () => {
  test("IPv4 as it is; IPv4-mapped IPv6 as its IPv4", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::FFFF:127.0.0.1")).toBe("127.0.0.1");
  });

  test("IPv6 by its /64, whatever its spelling", () => {
    const key = "2001:db8:85a3:8d3::/64";
    expect(addressKey("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe(key);
    expect(addressKey("2001:0db8:85a3:08d3:ffff:ffff:ffff:ffff")).toBe(key);
    expect(addressKey("2001:DB8:85A3:8D3::1")).toBe(key);
    expect(addressKey("[2001:db8:85a3:8d3::2]")).toBe(key);
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("2001:db8:1:2:3::")).toBe("2001:db8:1:2::/64");
    expect(addressKey("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
    // Another /64 is another key.
    expect(addressKey("2001:db8:85a3:8d4::1")).not.toBe(key);
  });

  test("anything else is taken as it is", () => {
    expect(addressKey("unknown")).toBe("unknown");
    expect(addressKey("")).toBe("");
  });
});
