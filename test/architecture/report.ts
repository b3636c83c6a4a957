/** Prints the import cycles between files and between concerns: `bun test/architecture/report.ts`. */
import { join } from "node:path";
import { concernGraph, concernOf, cycles, readImportGraph } from "./import-graph.ts";

const root = join(import.meta.dir, "../..");
const graph = readImportGraph(root, ["src", "actors", "protocols"]);
const concerns = concernGraph(graph);
console.log("file cycles:");
for (const cycle of cycles(graph.files)) console.log(`  ${cycle.join("  ")}`);
console.log("concern cycles (each edge inside one, with the files that make it):");
for (const cycle of cycles(concerns)) {
  console.log(`  ${cycle.join("  ")}`);
  for (const from of cycle) {
    for (const to of concerns.get(from) ?? []) {
      if (!cycle.includes(to)) continue;
      const files = [...graph.files]
        .filter(
          ([file, targets]) => concernOf(file) === from && [...targets].some((t) => concernOf(t) === to),
        )
        .map(([file]) => file);
      console.log(`    ${from} -> ${to}: ${files.join(", ")}`);
    }
  }
}
