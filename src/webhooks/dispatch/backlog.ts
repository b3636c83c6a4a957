import type { EventRow } from "../../store/schema.ts";

/**
 * An endpoint's place in the event log: how far it has read, the events queued for a first
 * attempt, and the first attempts whose outcome is not durable yet. The cursor follows from them.
 */
export class EndpointBacklog {
  /** Every event up to here is queued, attempted, or not for this endpoint. */
  private readPos: number;
  /** Fed by the dispatcher's tail; otherwise the endpoint reads the log itself (catching up, or its queue was full). */
  live = false;
  private queue: EventRow[] = [];
  /** First attempts whose outcome is not durable yet: they hold the cursor back. */
  private readonly held = new Set<number>();

  constructor(cursor: number) {
    this.readPos = cursor;
  }

  get readTo(): number {
    return this.readPos;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** `seq` is read: every event up to it is queued or not for this endpoint. */
  passed(seq: number): void {
    this.readPos = seq;
  }

  push(event: EventRow): void {
    this.queue.push(event);
  }

  /** The next queued event, held until its outcome is durable. */
  take(): EventRow | undefined {
    const event = this.queue.shift();
    if (event) this.held.add(event.seq);
    return event;
  }

  release(seq: number): void {
    this.held.delete(seq);
  }

  /** Forgets the queue (it is re-read from the log later) and stops taking the tail. */
  rewind(): void {
    this.live = false;
    const first = this.queue[0];
    if (first) this.readPos = first.seq - 1;
    this.queue = [];
  }

  /** The position below which every event is settled (what the webhook row saves). */
  cursor(): number {
    let low = this.queue[0]?.seq ?? Number.POSITIVE_INFINITY;
    for (const seq of this.held) if (seq < low) low = seq;
    return low === Number.POSITIVE_INFINITY ? this.readPos : Math.min(low - 1, this.readPos);
  }
}
