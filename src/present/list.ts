import type { ListItemRow, ListRow } from "../store/schema.ts";

/** Nylas list object (reference §7.6). */
export function presentList(l: ListRow) {
  return {
    id: l.id,
    name: l.name,
    ...(l.description !== null && { description: l.description }),
    type: l.type,
    items_count: l.itemsCount,
    application_id: l.applicationId,
    organization_id: l.applicationId,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
  };
}

export function presentListItem(i: ListItemRow) {
  return { id: i.id, list_id: i.listId, value: i.value, created_at: i.createdAt };
}
