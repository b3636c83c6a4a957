/** Delay before reconnect attempt `n` (0-based): doubling from 1 s to 60 s, with jitter (50–100 %). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
