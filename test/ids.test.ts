import { describe, expect, test } from "bun:test";
import { newId } from "../src/ids.ts";

describe("newId", () => {
  test("25 lower-case letters and digits, never repeated", () => {
    const ids = Array.from({ length: 10_000 }, newId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{25}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("ids made later sort after ids made earlier (indexes keyed by id grow at their end)", async () => {
    const earlier = Array.from({ length: 100 }, newId);
    await Bun.sleep(3);
    const later = Array.from({ length: 100 }, newId);
    const newestEarlier = earlier.sort().at(-1) as string;
    for (const id of later) expect(id > newestEarlier).toBe(true);
  });
});
