import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { Store } from "../../src/store/store.ts";

export const quietLog = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");

/** A real libSQL file in a fresh temporary directory. */
export async function openTempStore(): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "agentbox-test-"));
  const store = await Store.open(`file:${join(dir, "agentbox.db")}`, quietLog);
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
