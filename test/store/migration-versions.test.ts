import { expect, test } from "bun:test";
import { listMigrations } from "../../src/store/migrate.ts";

test("every migration has its own version number (a migration is recorded, and skipped, by it)", () => {
  const versions = listMigrations().map((m) => m.version);
  const repeated = versions.filter((v, i) => versions.indexOf(v) !== i);
  expect(repeated).toEqual([]);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
});
