import type { TemplateRow, WorkflowRow } from "../store/schema.ts";

/** `app_id` for an application-level object, `grant_id` for a grant's (Nylas returns only the one). */
function owner(o: { applicationId: string; grantId: string | null }) {
  return o.grantId === null ? { app_id: o.applicationId } : { grant_id: o.grantId };
}

/** Nylas's template object. */
export function presentTemplate(t: TemplateRow) {
  return {
    object: "template",
    id: t.id,
    ...owner(t),
    name: t.name,
    subject: t.subject,
    body: t.body,
    engine: t.engine,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

/** Nylas's workflow object (`date_created`, as Nylas names it). */
export function presentWorkflow(w: WorkflowRow) {
  return {
    id: w.id,
    ...owner(w),
    name: w.name,
    template_id: w.templateId,
    trigger_event: w.triggerEvent,
    delay: w.delay,
    is_enabled: w.isEnabled,
    ...(w.fromJson && { from: JSON.parse(w.fromJson) }),
    date_created: w.createdAt,
  };
}
