import type { CalendarView } from "../calendar/calendars.ts";

/** The Nylas calendar object (reference §5.1). */
export function presentCalendar({ row, ownerEmail }: CalendarView) {
  return {
    object: "calendar",
    id: row.id,
    grant_id: row.grantId,
    name: row.name,
    description: row.description,
    location: row.location,
    timezone: row.timezone,
    read_only: false,
    is_owned_by_user: true,
    is_primary: row.isPrimary,
    hex_color: row.hexColor ?? "#039BE5",
    hex_foreground_color: "#FFFFFF",
    owner_email: ownerEmail,
    metadata: JSON.parse(row.metadataJson) as Record<string, string>,
  };
}
