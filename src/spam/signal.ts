/**
 * One reason a message looks like spam, with its weight on rspamd's scale (its default "add
 * header" action is at 6), so agentbox's own checks, DNS block lists and rspamd add up.
 */
export interface SpamSignal {
  name: string;
  score: number;
  detail?: string;
}
