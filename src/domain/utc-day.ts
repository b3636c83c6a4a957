/** Daily quotas (sent, received) count per UTC day and reset at 00:00 UTC. */

/** `YYYY-MM-DD` of a Unix time, in UTC. */
export function utcDay(nowS: number): string {
  return new Date(nowS * 1000).toISOString().slice(0, 10);
}

/** Unix seconds of the next 00:00 UTC, when the count starts again. */
export function nextUtcMidnight(nowS: number): number {
  const d = new Date(nowS * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) / 1000;
}
