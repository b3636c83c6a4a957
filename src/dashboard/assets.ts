import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The dashboard's files, read once at start: plain modules and hand-written CSS, no build. */
const DIR = join(import.meta.dir, "assets");

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

export const ASSET_NAMES = [
  "index.html",
  "app.js",
  "api.js",
  "views.js",
  "message.js",
  "resources.js",
  "calendar.js",
  "status.js",
  "style.css",
] as const;

export interface Asset {
  body: Uint8Array;
  type: string;
}

export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of ASSET_NAMES) {
    const ext = name.slice(name.lastIndexOf(".") + 1);
    assets.set(name, { body: readFileSync(join(DIR, name)), type: TYPES[ext] ?? "application/octet-stream" });
  }
  return assets;
}
