/** Loading the .eml fixtures, and the exact bytes their attachments were made from. */
import { readFileSync } from "node:fs";

export function loadEml(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/eml/${name}`, import.meta.url));
}

/** A small PDF-like file with every byte value in it: 278 bytes. */
export function pdfBytes(): Buffer {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1");
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  return Buffer.concat([head, everyByte, Buffer.from("\n%%EOF\n", "latin1")]);
}

/** A 1x1 PNG: 67 bytes. */
export function pngBytes(): Buffer {
  return Buffer.from(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
      "1f15c4890000000a49444154789c6360000000020001e221bc330000000049454e44ae426082",
    "hex",
  );
}

export const CALENDAR_TEXT = [
  "BEGIN:VCALENDAR",
  "PRODID:-//Example Corp//Calendar 1.0//EN",
  "VERSION:2.0",
  "METHOD:REQUEST",
  "BEGIN:VEVENT",
  "UID:design-review-20250312@example.org",
  "DTSTART:20250312T150000Z",
  "DTEND:20250312T160000Z",
  "SUMMARY:Design review",
  "ORGANIZER;CN=Carol:mailto:carol@example.org",
  "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@agentbox.test",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

export const SHIFT_JIS_TEXT = "お世話になっております。\r\n来週の会議の資料を送ります。\r\n";
