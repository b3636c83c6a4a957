/** One page of an application's resources in id order (ids are time-ordered: creation order). */
export interface PageRequest {
  limit: number;
  /** The last id of the previous page. */
  after?: string;
}

export interface Page<T> {
  rows: T[];
  /** The last id of this page when there are more, else null. */
  nextAfter: string | null;
}

/** Cuts the `limit + 1` rows a query read into a page. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextAfter: more ? (page[page.length - 1]?.id ?? null) : null };
}
