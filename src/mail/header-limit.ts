/**
 * Watches a message's bytes as they come in (SMTP DATA; the API's raw MIME send feeds them at once) and tells whether its top-level header block (up
 * to the first empty line) stays within the limits, without keeping more than three bytes of it.
 * Lines are limited besides bytes because mailauth's header parser is quadratic in them: 25,000
 * folded lines (100 KB) cost its thread a second and ~100 MB of garbage, 5,000 cost 60 ms.
 */
export class HeaderLimit {
  /** The last bytes seen while the header was open; a leading "\n" lets an empty first line end it. */
  private tail = Buffer.from("\n");
  private seen = 0;
  private lines = 0;
  private open = true;
  exceeded = false;
  /** Which limit the header went over, once it has. */
  exceededBy: "bytes" | "lines" | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly maxLines: number,
  ) {}

  /** Feeds the next chunk; true once the header is known to be over the limit. */
  feed(chunk: Buffer): boolean {
    if (!this.open) return this.exceeded;
    const scan = Buffer.concat([this.tail, chunk]);
    const end = headerEnd(scan);
    // Bytes of the header in this chunk: up to its end, or all of it while it stays open.
    const inChunk = end < 0 ? chunk.length : end - this.tail.length;
    this.lines += lineBreaks(chunk, inChunk);
    if (this.seen + inChunk > this.maxBytes || this.lines > this.maxLines) {
      this.exceeded = true;
      this.exceededBy = this.seen + inChunk > this.maxBytes ? "bytes" : "lines";
      this.open = false;
    } else if (end >= 0) {
      this.open = false;
    }
    this.seen += inChunk;
    this.tail = scan.subarray(Math.max(0, scan.length - 3));
    return this.exceeded;
  }
}

/** The offset just past the empty line that ends a header ("\n\n" or "\n\r\n"), or -1. */
function headerEnd(scan: Buffer): number {
  let from = 0;
  for (;;) {
    const lf = scan.indexOf(10, from);
    if (lf < 0 || lf + 1 >= scan.length) return -1;
    if (scan[lf + 1] === 10) return lf + 2;
    if (scan[lf + 1] === 13 && scan[lf + 2] === 10) return lf + 3;
    from = lf + 1;
  }
}

function lineBreaks(chunk: Buffer, upTo: number): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at >= 0 && at < upTo; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}
