/** Sends the same raw message through the MX, one after another, until aborted; counts the replies. */
import nodemailer from "nodemailer";
import type { AbuseTarget } from "./scenario.ts";

export async function sendUntilAborted(
  target: AbuseTarget,
  raw: string,
  signal: AbortSignal,
): Promise<string> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: target.ports.mx,
    secure: false,
    ignoreTLS: true,
    name: "mta.bomb.example",
    logger: false,
  });
  const replies = new Map<string, number>();
  const count = (what: string) => replies.set(what, (replies.get(what) ?? 0) + 1);
  while (!signal.aborted) {
    await transport.sendMail({ envelope: { from: "a@bomb.example", to: [target.account.email] }, raw }).then(
      (info) => count(info.response.slice(0, 9)),
      (err: { response?: string }) => count(err.response?.slice(0, 9) ?? "error"),
    );
  }
  transport.close();
  return [...replies].map(([reply, n]) => `${reply} ×${n}`).join(", ");
}

/** A header of `lines` folded continuation lines, each `line` after its space. */
export const foldedHeader = (to: string, lines: number, line: string) =>
  `From: a@bomb.example\r\nTo: ${to}\r\nSubject: bomb${`\r\n ${line}`.repeat(lines)}\r\n\r\nbody\r\n`;
