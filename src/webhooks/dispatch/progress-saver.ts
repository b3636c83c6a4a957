import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import { type Progress, saveProgress } from "../deliveries.ts";

/** An endpoint whose cursor or outcome fields changed since they were last saved. */
export interface ProgressSource {
  readonly id: string;
  /** What to save now. */
  progress(): Progress;
  /** The save of `p` committed. */
  saved(p: Progress): void;
}

/**
 * Saves every endpoint's progress together, at most once per `everyMs`, in one unit: one commit
 * (one fsync) per tick whatever the number of endpoints. A crash re-sends at most a tick's worth
 * of deliveries, with the same notification ids.
 */
export class ProgressSaver {
  private readonly dirty = new Set<ProgressSource>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly everyMs: number,
  ) {}

  mark(source: ProgressSource): void {
    this.dirty.add(source);
    if (!this.timer && !this.saving) this.timer = setTimeout(() => void this.flush(), this.everyMs);
  }

  forget(source: ProgressSource): void {
    this.dirty.delete(source);
  }

  /** Saves what is dirty now (and waits for a save already running). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.saving;
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty].map((source) => ({ source, progress: source.progress() }));
    this.dirty.clear();
    this.saving = saveProgress(
      this.store,
      batch.map((b) => ({ webhookId: b.source.id, ...b.progress })),
    )
      .then(() => {
        for (const b of batch) b.source.saved(b.progress);
      })
      .catch((err: unknown) => {
        this.log.error({ err }, "cannot save webhook cursors");
        for (const b of batch) this.dirty.add(b.source);
      })
      .finally(() => {
        this.saving = null;
        if (this.dirty.size > 0 && !this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.everyMs);
        }
      });
    await this.saving;
  }
}
