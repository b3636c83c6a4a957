/** Synthetic but realistic 10 KB messages for the mail benchmarks. */
const WORDS =
  "invoice meeting report quarterly project deadline review budget launch customer support ticket order shipping update schedule design contract proposal agenda summary release notes feedback travel".split(
    " ",
  );
const PEOPLE = Array.from({ length: 200 }, (_, i) => `person${i}@example${i % 20}.com`);

function pick<T>(list: T[], i: number): T {
  return list[i % list.length] as T;
}

export function benchMessage(i: number, bytes = 10_240): Uint8Array {
  const from = pick(PEOPLE, i * 7);
  const to = pick(PEOPLE, i * 13 + 1);
  const subject = `${pick(WORDS, i)} ${pick(WORDS, i * 3)} #${i}`;
  const header = [
    `From: Person ${i % 200} <${from}>`,
    `To: <${to}>`,
    `Subject: ${subject}`,
    `Date: ${new Date(1_700_000_000_000 + i * 60_000).toUTCString()}`,
    `Message-ID: <bench-${i}@example.com>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "",
  ].join("\r\n");
  const lines: string[] = [];
  let size = header.length;
  for (let n = 0; size < bytes; n++) {
    const line = `${pick(WORDS, i + n)} ${pick(WORDS, i * n + 5)} ${pick(WORDS, n * 11)} line ${n} of message ${i}.`;
    lines.push(line);
    size += line.length + 2;
  }
  return new TextEncoder().encode(header + lines.join("\r\n"));
}
