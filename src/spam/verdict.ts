import type { SpamSignal } from "./signal.ts";

/** rspamd's default "add header" action: the threshold at sensitivity 1. */
export const BASE_THRESHOLD = 6;

/** The spam verdict kept on a stored message (API `spam`). */
export interface SpamVerdict {
  is_spam: boolean;
  score: number;
  threshold: number;
  /** The policy's spam_sensitivity (0.1–5; higher marks more messages as spam). */
  sensitivity: number;
  signals: SpamSignal[];
}

/** The signals' total against the threshold, which the sensitivity divides. */
export function spamVerdict(signals: SpamSignal[], sensitivity = 1): SpamVerdict {
  const score = round(signals.reduce((sum, s) => sum + s.score, 0));
  const threshold = round(BASE_THRESHOLD / sensitivity);
  return { is_spam: score >= threshold, score, threshold, sensitivity, signals };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
