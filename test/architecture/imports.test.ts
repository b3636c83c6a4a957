import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { concernGraph, concernOf, cycles, readImportGraph } from "./import-graph.ts";

const ROOT = join(import.meta.dir, "../..");
const graph = readImportGraph(ROOT, ["src", "actors", "protocols"]);

describe("the import graph", () => {
  test("the checker finds a cycle when there is one (it can fail)", () => {
    const edges = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cycles(edges)).toEqual([["a", "b", "c"]]);
    expect(concernOf("src/api/routes/x.ts")).toBe("src/api");
    expect(concernOf("src/ids.ts")).toBe("src/ids.ts");
  });

  test("it reads the project's imports (type-only ones included)", () => {
    expect(graph.files.size).toBeGreaterThan(200);
    expect(graph.files.get("actors/mailboxes.ts")).toContain("actors/runtime.ts");
  });

  test("no two files import each other, directly or through others", () => {
    expect(cycles(graph.files)).toEqual([]);
  });

  test("no two concerns (src/api, src/mailbox, actors/mailbox, …) import each other", () => {
    expect(cycles(concernGraph(graph))).toEqual([]);
  });

  test("the mailbox actor holds no SQL: no drizzle, no schema, no statements under actors/mailbox/", () => {
    const offenders = [...graph.files.keys()]
      .filter((file) => file.startsWith("actors/mailbox/"))
      .filter((file) => {
        const source = readFileSync(join(ROOT, file), "utf8");
        return /from\s+["']drizzle-orm|store\/schema\.ts|\.prepare\(|\$client|\b(SELECT|INSERT|UPDATE|DELETE)\s/.test(
          source,
        );
      });
    expect(offenders).toEqual([]);
  });
});
