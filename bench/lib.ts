/** Shared helpers for the benchmarks: medians, formatting, machine description. */
import { cpus, totalmem } from "node:os";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown cpu";
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Bun ${Bun.version}`;
}

export function report(title: string, rows: Record<string, string | number>): void {
  console.log(`\n## ${title}`);
  for (const [k, v] of Object.entries(rows)) console.log(`${k.padEnd(48)} ${v}`);
}
