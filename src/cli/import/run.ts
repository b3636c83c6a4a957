import type { Client } from "../client.ts";
import { ApiError } from "../client.ts";
import { Progress } from "../progress.ts";
import type { MailSource, SourceMessage } from "./source.ts";
import type { ImportState, ImportStateFile } from "./state.ts";

/** Messages in flight at once: enough to hide the round trip, few enough to keep order cheap. */
const WINDOW = 4;
/** Statuses that refuse one message (it is counted and skipped); anything else stops the import. */
const SKIPPED = new Set([400, 413, 415]);

export interface ImportResult extends ImportState {
  resumed: boolean;
  errors: string[];
}

/**
 * Sends every message of `source` from the saved position to POST …/messages/import, a few at a
 * time, saving the position after each run of completed messages; a stop (network, 401, 5xx)
 * leaves the state for the next run, which resumes there (and the server's de-duplication
 * covers the messages that were in flight).
 */
export async function importMailbox(
  client: Client,
  account: string,
  folder: string,
  source: MailSource,
  stateFile: ImportStateFile,
): Promise<ImportResult> {
  const { state, resumed } = stateFile.load(source.fingerprint);
  const errors: string[] = [];
  const progress = new Progress(source.total, source.unit);
  const path = `/v3/grants/${encodeURIComponent(account)}/messages/import`;
  const inFlight: { message: SourceMessage; done: Promise<void> }[] = [];
  let lastSave = performance.now();

  const send = async (m: SourceMessage) => {
    try {
      const res = await client.postBytes<unknown>(
        path,
        { folder, seen: m.seen, flagged: m.flagged, answered: m.answered, received_at: m.receivedAt },
        m.bytes,
        "message/rfc822",
      );
      if (res.status === 200) state.duplicates++;
      else state.imported++;
    } catch (err) {
      if (!(err instanceof ApiError) || !SKIPPED.has(err.status)) throw err;
      state.failed++;
      if (errors.length < 20) errors.push(`message ending at ${m.next} ${source.unit}: ${err.message}`);
    }
  };

  /** Waits for the oldest message in flight and moves the saved position past it. */
  const settleOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    await oldest.done;
    state.position = oldest.message.next;
    progress.update(state.position, state.imported + state.duplicates + state.failed);
    if (performance.now() - lastSave > 500) {
      stateFile.save(state);
      lastSave = performance.now();
    }
  };

  try {
    for await (const message of source.messages(state.position)) {
      const done = send(message);
      done.catch(() => {});
      inFlight.push({ message, done });
      if (inFlight.length >= WINDOW) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } catch (err) {
    await Promise.allSettled(inFlight.map((f) => f.done));
    stateFile.save(state);
    progress.update(state.position, state.imported + state.duplicates + state.failed, true);
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}; the import stopped and resumes where it was when run again`,
    );
  }
  progress.update(source.total, state.imported + state.duplicates + state.failed, true);
  stateFile.remove();
  return { ...state, resumed, errors };
}
