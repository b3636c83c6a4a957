import { and, eq } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import { type RowidPage, rowidPage } from "../store/rowid-page.ts";
import { type WorkflowRow, workflows } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { inScope, type Scope } from "./scope.ts";

/**
 * Workflows (Nylas's /v3/workflows and /v3/grants/{id}/workflows): "send this template when this
 * booking event happens". Nylas's trigger events are all Scheduler bookings (`booking.*`), which
 * this server does not have: workflows are kept, validated and listed, and fire when bookings
 * exist (docs/api.md says so).
 */

export const WORKFLOW_TRIGGERS = [
  "booking.cancelled",
  "booking.created",
  "booking.pending",
  "booking.reminder",
  "booking.rescheduled",
] as const;

export interface WorkflowFields {
  name: string;
  templateId: string;
  triggerEvent: string;
  delay: number;
  isEnabled: boolean;
  from: { email: string; name?: string } | null;
}

const byId = (scope: Scope, id: string) => and(inScope(workflows, scope), eq(workflows.id, id));

export async function createWorkflow(store: Store, scope: Scope, f: WorkflowFields): Promise<WorkflowRow> {
  const now = nowSeconds();
  const row: WorkflowRow = {
    id: newUuid(),
    ...scope,
    name: f.name,
    templateId: f.templateId,
    triggerEvent: f.triggerEvent,
    delay: f.delay,
    isEnabled: f.isEnabled,
    fromJson: f.from ? JSON.stringify(f.from) : null,
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit((tx) => tx.insert(workflows).values(row).run());
  return row;
}

export function listWorkflows(
  store: Store,
  scope: Scope,
  limit: number,
  afterSeq: number,
): RowidPage<WorkflowRow> {
  return rowidPage(store.read, workflows, inScope(workflows, scope), limit, afterSeq);
}

export function findWorkflow(store: Store, scope: Scope, id: string): WorkflowRow | null {
  return store.read.select().from(workflows).where(byId(scope, id)).get() ?? null;
}

export async function updateWorkflow(
  store: Store,
  scope: Scope,
  id: string,
  f: Partial<WorkflowFields>,
): Promise<WorkflowRow | null> {
  const { from, ...rest } = f;
  await store.writer.submit((tx) =>
    tx
      .update(workflows)
      .set({
        ...rest,
        ...(from !== undefined && { fromJson: from ? JSON.stringify(from) : null }),
        updatedAt: nowSeconds(),
      })
      .where(byId(scope, id))
      .run(),
  );
  return findWorkflow(store, scope, id);
}

export async function deleteWorkflow(store: Store, scope: Scope, id: string): Promise<boolean> {
  return store.writer.submit((tx) => {
    if (!tx.select({ id: workflows.id }).from(workflows).where(byId(scope, id)).get()) return false;
    tx.delete(workflows).where(byId(scope, id)).run();
    return true;
  });
}
