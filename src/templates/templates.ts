import { and, eq } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import { type RowidPage, rowidPage } from "../store/rowid-page.ts";
import { type TemplateRow, templates } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type Engine, parseTemplate } from "./render.ts";
import { inScope, type Scope } from "./scope.ts";

/**
 * Message templates (Nylas's /v3/templates and /v3/grants/{id}/templates): a subject and an HTML
 * body in one of the engines of ./render.ts, rendered by `render` routes and by a send that names
 * one (`template: {id, variables, strict}`, src/sending/content.ts). Both are parsed when saved,
 * so a template this server cannot render is refused then (TemplateError), not at send time.
 */

export interface TemplateFields {
  name: string;
  subject: string;
  body: string;
  engine: Engine;
}

const byId = (scope: Scope, id: string) => and(inScope(templates, scope), eq(templates.id, id));

export async function createTemplate(
  store: Store,
  scope: Scope,
  fields: TemplateFields,
): Promise<TemplateRow> {
  checkRenderable(fields);
  const now = nowSeconds();
  const row: TemplateRow = { id: newUuid(), ...scope, ...fields, createdAt: now, updatedAt: now };
  await store.writer.submit((tx) => tx.insert(templates).values(row).run());
  return row;
}

export function listTemplates(
  store: Store,
  scope: Scope,
  limit: number,
  afterSeq: number,
): RowidPage<TemplateRow> {
  return rowidPage(store.read, templates, inScope(templates, scope), limit, afterSeq);
}

export function findTemplate(store: Store, scope: Scope, id: string): TemplateRow | null {
  return store.read.select().from(templates).where(byId(scope, id)).get() ?? null;
}

/** The fields given replace the stored ones (the result must still render); null: no such template. */
export async function updateTemplate(
  store: Store,
  scope: Scope,
  id: string,
  fields: Partial<TemplateFields>,
): Promise<TemplateRow | null> {
  const current = findTemplate(store, scope, id);
  if (!current) return null;
  checkRenderable({ ...current, engine: current.engine as Engine, ...fields });
  await store.writer.submit((tx) =>
    tx
      .update(templates)
      .set({ ...fields, updatedAt: nowSeconds() })
      .where(byId(scope, id))
      .run(),
  );
  return findTemplate(store, scope, id);
}

export async function deleteTemplate(store: Store, scope: Scope, id: string): Promise<boolean> {
  return store.writer.submit((tx) => {
    if (!tx.select({ id: templates.id }).from(templates).where(byId(scope, id)).get()) return false;
    tx.delete(templates).where(byId(scope, id)).run();
    return true;
  });
}

function checkRenderable(t: { subject: string; body: string; engine: Engine }): void {
  parseTemplate(t.subject, t.engine);
  parseTemplate(t.body, t.engine);
}
