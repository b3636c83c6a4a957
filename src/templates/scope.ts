import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Where a template or workflow lives: its application (/v3/templates, /v3/workflows) or one of
 * its grants (/v3/grants/{id}/templates, …). An application-level list never shows a grant's.
 */
export interface Scope {
  applicationId: string;
  grantId: string | null;
}

export function inScope(columns: { applicationId: SQLiteColumn; grantId: SQLiteColumn }, scope: Scope): SQL {
  return and(
    eq(columns.applicationId, scope.applicationId),
    scope.grantId === null ? isNull(columns.grantId) : eq(columns.grantId, scope.grantId),
  ) as SQL;
}
