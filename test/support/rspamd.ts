import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";

/**
 * A real rspamd (the Debian package, installed by .ci/run) on loopback: its normal worker only,
 * on a free port, its DNS questions sent to `dnsServer`, its logs and pid in a temporary
 * directory. Its compiled pattern databases go to one cache directory kept between runs: the
 * first start compiles them (~30 s on 2 cores), later ones load them (~2 s).
 */
const CACHE_DIR = join(tmpdir(), "agentbox-rspamd-cache");
export interface TestRspamd {
  url: string;
  stop(): Promise<void>;
}

export async function startRspamd(dnsServer: string): Promise<TestRspamd> {
  const dir = mkdtempSync(join(tmpdir(), "agentbox-rspamd-"));
  mkdirSync(CACHE_DIR, { recursive: true });
  const port = await freePort();
  const config = join(dir, "rspamd.conf");
  writeFileSync(
    config,
    `.include "$CONFDIR/common.conf"
options {
  pidfile = "${dir}/rspamd.pid";
  .include "$CONFDIR/options.inc"
  dns { nameserver = ["${dnsServer}"]; timeout = 1s; retransmits = 1; }
}
logging { type = "file"; filename = "${dir}/rspamd.log"; level = "error"; }
worker "normal" {
  bind_socket = "127.0.0.1:${port}";
  .include "$CONFDIR/worker-normal.inc"
  count = 1;
}
`,
  );
  const proc: Subprocess = spawn(
    [
      "rspamd",
      "-f",
      "-i",
      "-c",
      config,
      `--var=DBDIR=${CACHE_DIR}`,
      `--var=RUNDIR=${dir}`,
      `--var=LOGDIR=${dir}`,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await answers(url)) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill();
      throw new Error(`rspamd did not start (see ${dir}/rspamd.log)`);
    }
    await Bun.sleep(200);
  }
  return {
    url,
    async stop() {
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
