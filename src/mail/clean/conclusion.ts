/**
 * The closing of a message: a short line such as "Best regards," or "Thanks!", and what follows
 * it when that is only a few short lines (the name, a title).
 */
const CLOSING =
  /^(best|best regards|kind regards|warm regards|regards|warmly|cheers|thanks|thank you|thanks again|many thanks|thx|sincerely|yours sincerely|yours truly|all the best|take care|talk soon|br|rgds|cordialement|bien à vous|viele grüße|mit freundlichen grüßen|saludos|un saludo|groetjes)\b[\s!,.\-–—]*([a-zà-ÿ'’ .-]{0,40})?$/i;
const MAX_LINES_AFTER = 3;

export function removeConclusion(text: string): string {
  const lines = text.split("\n");
  const last = lastContentLine(lines);
  for (let i = last; i >= 0 && i >= last - MAX_LINES_AFTER; i--) {
    const line = (lines[i] ?? "").trim().replace(/^[*_]+|[*_]+$/g, "");
    if (!CLOSING.test(line)) continue;
    // Only a closing that ends the message: short lines after it, no paragraph.
    if (lines.slice(i + 1, last + 1).some((l) => l.trim().length > 60)) return text;
    return lines.slice(0, i).join("\n").trimEnd();
  }
  return text;
}

function lastContentLine(lines: string[]): number {
  let i = lines.length - 1;
  while (i >= 0 && !(lines[i] ?? "").trim()) i--;
  return i;
}

/** Whether the first line of `text` is a closing ("Cheers,", "Best regards"). */
export function startsWithClosing(text: string): boolean {
  const first = text.trimStart().split("\n")[0] ?? "";
  return CLOSING.test(first.trim().replace(/^[*_]+|[*_]+$/g, ""));
}
