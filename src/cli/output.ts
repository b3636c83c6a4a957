/** What the CLI prints. Human output goes to stdout; `--json` prints the API's `data` instead. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Notes meant for a person even when stdout is redirected (e.g. "shown only once"). */
export function printNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Columns separated by two spaces, each as wide as its widest cell. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[headers, ...rows].map(line).join("\n")}\n`;
}

/** A table, or `empty` when there are no rows. */
export function printTable(headers: string[], rows: string[][], empty: string): void {
  process.stdout.write(rows.length === 0 ? `${empty}\n` : formatTable(headers, rows));
}

/** "Label:  value" lines with the values aligned. */
export function printFields(fields: [label: string, value: string][]): void {
  const width = Math.max(...fields.map(([label]) => label.length + 1));
  for (const [label, value] of fields) printLine(`${`${label}:`.padEnd(width)}  ${value}`);
}

/** Unix seconds as an ISO 8601 UTC time; "-" when absent. */
export function isoTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "-";
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
