import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export interface ServerProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  dataDir: string;
  /** Everything the process wrote so far (stdout + stderr). */
  output(): string;
  /** Resolves when /healthz answers 200; rejects if the process exits first or after `ms`. */
  ready(ms?: number): Promise<void>;
}

/** A free TCP port on loopback (bound then released). */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** `bun src/main.ts serve` as a real child process, exactly as `npm start` runs it. */
export function spawnServer(env: Record<string, string> = {}, dataDir?: string): ServerProcess {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "agentbox-proc-"));
  const httpPort = env.AGENTBOX_HTTP_PORT ?? String(freePort());
  const proc = Bun.spawn([process.execPath, "src/main.ts", "serve"], {
    env: {
      ...process.env,
      AGENTBOX_DATA_DIR: dir,
      AGENTBOX_HTTP_PORT: httpPort,
      AGENTBOX_IMAPS_PORT: "0",
      AGENTBOX_SMTPS_PORT: "0",
      AGENTBOX_SUBMISSION_PORT: "0",
      AGENTBOX_MX_PORT: "0",
      AGENTBOX_LOG_LEVEL: "info",
      ...env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk);
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    proc,
    url,
    dataDir: dir,
    output: () => text,
    async ready(ms = 10_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${text}`);
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await Bun.sleep(20);
      }
      throw new Error(`server not ready after ${ms} ms: ${text}`);
    },
  };
}
