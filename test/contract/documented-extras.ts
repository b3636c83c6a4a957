import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Extra } from "./json-schema.ts";

/**
 * The fields beyond Nylas's schemas that docs/api.md lists (its table "Fields beyond Nylas's
 * schemas"): each row names where (a component schema of the document, or a notification) and
 * the fields, each in backticks.
 */
export function documentedExtras(): Set<string> {
  const text = readFileSync(join(import.meta.dir, "..", "..", "docs", "api.md"), "utf8");
  const start = text.indexOf("### Fields beyond Nylas's schemas");
  const keys = new Set<string>();
  if (start < 0) return keys;
  for (const line of text.slice(start).split("\n").slice(1)) {
    if (line.startsWith("#")) break;
    const cells = line.split("|").map((x) => x.trim());
    if (cells.length < 4 || cells[1]?.startsWith("---")) continue;
    const where = [...(cells[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const fields = [...(cells[2] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    for (const w of where) for (const f of fields) keys.add(`${w} ${f}`);
  }
  return keys;
}

/**
 * How an extra is named, `<place> <field>`: the place is the component schema the object was
 * checked against (`message answered`), else the operation and the path of the object in its
 * body (`GET /v3/webhooks data[] delivery`), array indices dropped. A notification's place is
 * `notification <path>` outside its object, `<trigger> <path>` inside it.
 */
export function extraKey(where: string, extra: Extra): string {
  const schema = extra.schemas.at(-1);
  if (schema) return `${schema} ${extra.key}`;
  const path = extra.path.replace(/\[\d+\]/g, "[]");
  const notification = !where.includes("/");
  const place = notification && !path.startsWith("data.object") ? "notification" : where;
  return `${[place, path].filter(Boolean).join(" ")} ${extra.key}`;
}
