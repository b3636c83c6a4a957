import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/process.ts";

/** Debian's Python, where python3-caldav, vdirsyncer and Radicale are installed (not a pyenv shim). */
export const PYTHON = "/usr/bin/python3";

/** Radicale (Debian), the reference CalDAV server, with one plain-text user, on a loopback port. */
export async function startRadicale(user: string, password: string) {
  const dir = mkdtempSync(join(tmpdir(), "radicale-"));
  writeFileSync(join(dir, "users"), `${user}:${password}\n`);
  const port = freePort();
  const proc = Bun.spawn(
    [
      PYTHON,
      "-m",
      "radicale",
      `--storage-filesystem-folder=${join(dir, "collections")}`,
      `--server-hosts=127.0.0.1:${port}`,
      "--auth-type=htpasswd",
      `--auth-htpasswd-filename=${join(dir, "users")}`,
      "--auth-htpasswd-encryption=plain",
      "--logging-level=warning",
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(`${url}/.web/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error("radicale did not start");
    await Bun.sleep(100);
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

/** Runs a Python script of test/caldav/ and returns its stdout (throws with stderr on failure). */
export async function runPython(script: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const proc = Bun.spawn([PYTHON, join(import.meta.dir, script), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${script} exited ${code}: ${err}`);
  return out;
}
