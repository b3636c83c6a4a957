/**
 * The delay before the next attempt, after `attemptsMade` attempts, from the configured schedule
 * (itself roughly exponential), with ±20 % jitter so endpoints that failed together do not all
 * retry in the same instant. Null when the schedule is exhausted.
 */
export function retryDelay(scheduleMs: readonly number[], attemptsMade: number): number | null {
  const base = scheduleMs[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
