import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { type PendingHit, recordHits } from "./hits.ts";

/** How long a hit may wait for the next batch: its notification is still well within a second. */
const FLUSH_MS = 200;

/**
 * Collects hits and writes them in batches, one unit every FLUSH_MS at most: the pixel and the
 * redirects answer at once and never wait for a commit, and a burst of hits costs one commit (each
 * COMMIT's fsync blocks the event loop the redirects are served from). `flush()` writes what waits
 * (the HTTP listener's stop calls it).
 */
export class HitRecorder {
  #pending: PendingHit[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  add(hit: PendingHit): void {
    this.#pending.push(hit);
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) {
      this.#writing = this.#writing
        .then(() => recordHits(this.store, batch))
        .catch((err: unknown) => {
          this.log.warn({ err: (err as Error).message, hits: batch.length }, "tracking hits not recorded");
        });
    }
    return this.#writing;
  }
}
