#!/usr/bin/env node
"use strict";
// `npx agentbox …`: runs the CLI (TypeScript) under the bun pinned in node_modules, so that
// only Node needs to be on PATH.
const { spawn } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "src", "cli", "main.ts");

function findBun() {
  try {
    const pkg = require.resolve("bun/package.json", { paths: [root] });
    const exe = path.join(path.dirname(pkg), "bin", "bun.exe");
    if (existsSync(exe)) return exe;
  } catch {
    // not installed as a package: try the .bin link below
  }
  const link = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "bun.cmd" : "bun");
  return existsSync(link) ? link : null;
}

const bun = findBun();
if (!bun) {
  process.stderr.write(`agentbox: cannot find the pinned bun binary; run \`npm install\` in ${root}\n`);
  process.exit(1);
}

const child = spawn(bun, [entry, ...process.argv.slice(2)], { stdio: "inherit" });

const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, forward);

child.on("error", (err) => {
  process.stderr.write(`agentbox: cannot start ${bun}: ${err.message}\n`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal, so the caller sees how bun ended.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
