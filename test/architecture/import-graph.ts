import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Every relative import of the project's TypeScript files, type-only ones included. */
export interface ImportGraph {
  /** file → the files it imports, paths relative to the root. */
  files: Map<string, Set<string>>;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC = /import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

export function readImportGraph(root: string, folders: readonly string[]): ImportGraph {
  const files = new Map<string, Set<string>>();
  for (const folder of folders) {
    for (const file of typescriptFiles(join(root, folder))) {
      const source = readFileSync(file, "utf8");
      const targets = new Set<string>();
      for (const pattern of [IMPORT, DYNAMIC]) {
        for (const match of source.matchAll(pattern)) {
          targets.add(relative(root, resolve(dirname(file), match[1] as string)));
        }
      }
      files.set(relative(root, file), targets);
    }
  }
  return { files };
}

function typescriptFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...typescriptFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The same graph between folders: a folder imports another when any of its files does. */
export function folderGraph(graph: ImportGraph): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph.files) {
    const from = dirname(file);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const target of targets) if (dirname(target) !== from) edges.add(dirname(target));
  }
  return folders;
}

/** The strongly connected components with more than one member (Tarjan): each is an import cycle. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The concern a file belongs to: the first folder under a top-level folder (`src/api/routes/x.ts`
 * is in `src/api`), or the file itself when it sits at the top (`src/ids.ts`).
 */
export function concernOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
}

/** The same graph between concerns: one imports another when any of its files does. */
export function concernGraph(graph: ImportGraph): Map<string, Set<string>> {
  const concerns = new Map<string, Set<string>>();
  for (const [file, targets] of graph.files) {
    const from = concernOf(file);
    const edges = concerns.get(from) ?? new Set<string>();
    concerns.set(from, edges);
    for (const target of targets) if (concernOf(target) !== from) edges.add(concernOf(target));
  }
  return concerns;
}
