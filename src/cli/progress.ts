/**
 * Progress on standard error: a bar redrawn in place on a terminal, a line every 10% otherwise
 * (logs and pipes), and always a last line.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDecile = -1;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly unit: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, messages: number, final = false): void {
    const ratio = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(messages / seconds) : 0;
    const figures =
      this.unit === "accounts"
        ? `${messages} of ${this.total} accounts (${Math.floor(ratio * 100)}%), ${rate}/s`
        : `${messages} messages, ${Math.floor(ratio * 100)}% of ${this.total} ${this.unit}, ${rate}/s`;
    if (this.out.isTTY) {
      if (!final && performance.now() - this.lastDraw < 100) return;
      this.lastDraw = performance.now();
      const width = 30;
      const bar = "#".repeat(Math.round(ratio * width)).padEnd(width, ".");
      this.out.write(`\r[${bar}] ${figures}${final ? "\n" : ""}`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (final || decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${this.unit === "accounts" ? "accounts" : "import"}: ${figures}\n`);
    }
  }
}
