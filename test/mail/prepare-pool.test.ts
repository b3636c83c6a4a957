import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PreparePool } from "../../src/mail/prepare-pool.ts";
import { prepareMessage } from "../../src/mail/prepared-message.ts";
import { loadEml } from "./eml.ts";

const pools: PreparePool[] = [];
const pool = (workers: number) => {
  const p = new PreparePool(workers);
  pools.push(p);
  return p;
};
afterEach(() => {
  for (const p of pools.splice(0)) p.close();
});

const small = (n: number) =>
  new TextEncoder().encode(`Subject: message ${n}\r\nMessage-ID: <${n}@t>\r\n\r\nYour code is 48${n}21.\r\n`);

/** A message that takes a worker much longer than `small`: 6 MB of quoted-printable text. */
function large(): Uint8Array {
  const line = `${"Lorem ipsum dolor sit amet =E2=80=94 consectetur ".repeat(1)}=\r\n`;
  return new TextEncoder().encode(
    `Subject: large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${line.repeat(120_000)}`,
  );
}

describe("PreparePool", () => {
  test("a worker prepares exactly what the inline function does, for every .eml fixture", async () => {
    const workers = pool(2);
    const names = readdirSync(new URL("../fixtures/eml/", import.meta.url)).filter((n) => n.endsWith(".eml"));
    expect(names.length).toBeGreaterThan(10);
    const fromWorkers = await Promise.all(names.map((n) => workers.prepare(loadEml(n))));
    names.forEach((name, i) => {
      expect({ name, prepared: fromWorkers[i] }).toEqual({ name, prepared: prepareMessage(loadEml(name)) });
    });
  });

  test("results come back in call order even when a later message finishes first", async () => {
    const workers = pool(2);
    const settled: string[] = [];
    const calls = [
      workers.prepare(large()).then((p) => settled.push(p.subject ?? "")),
      ...Array.from({ length: 20 }, (_, i) =>
        workers.prepare(small(i)).then((p) => settled.push(p.subject ?? "")),
      ),
    ];
    await Promise.all(calls);
    expect(settled).toEqual(["large", ...Array.from({ length: 20 }, (_, i) => `message ${i}`)]);
  });

  test("a buffer that is a view into a larger one sends only its own bytes, and stays usable", async () => {
    const whole = new Uint8Array([...new TextEncoder().encode("XXXX"), ...small(7), 1, 2, 3]);
    const view = whole.subarray(4, whole.length - 3);
    const prepared = await pool(1).prepare(view);
    expect(prepared.subject).toBe("message 7");
    expect(prepared.sha256).toBe(prepareMessage(small(7)).sha256);
    expect(view.byteLength).toBe(small(7).byteLength);
  });

  test("with no workers it prepares inline", async () => {
    const prepared = await pool(0).prepare(small(1));
    expect(prepared).toEqual(prepareMessage(small(1)));
  });

  test("while a worker prepares, the main thread waits without spinning", async () => {
    const workers = pool(1);
    await workers.prepare(small(0));
    const cpu = () => {
      const u = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage();
      return (u.user + u.system) / 1000;
    };
    const big = large();
    const wall0 = performance.now();
    const cpu0 = cpu();
    await Promise.all([workers.prepare(big), workers.prepare(big)]);
    const wallMs = performance.now() - wall0;
    // Bun polls while it awaits an unreferenced worker: the main thread then burns all the wait.
    expect(cpu() - cpu0).toBeLessThan(wallMs / 2);
  });

  test("an idle pool does not keep the process alive", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentbox-pool-"));
    const script = join(dir, "idle-pool.ts");
    const poolModule = new URL("../../src/mail/prepare-pool.ts", import.meta.url).pathname;
    writeFileSync(
      script,
      `import { PreparePool } from ${JSON.stringify(poolModule)};
const p = await new PreparePool(1).prepare(new TextEncoder().encode("Subject: hi\\r\\n\\r\\nbody\\r\\n"));
console.log(p.subject);
`,
    );
    const child = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
    const timer = setTimeout(() => child.kill(), 10_000);
    const exitCode = await child.exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
    expect(await new Response(child.stdout).text()).toBe("hi\n");
    expect(exitCode).toBe(0);
  });

  test("closing fails what is still being prepared, and refuses new work", async () => {
    const workers = pool(1);
    const pending = workers.prepare(large());
    workers.close();
    await expect(pending).rejects.toThrow("closed");
    await expect(workers.prepare(small(1))).rejects.toThrow("closed");
  });
});
