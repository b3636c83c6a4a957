import { z } from "zod";
import type { ToolContext } from "../tool.ts";

/**
 * The confirm step of calendar writes that mail people (an invitation, an update, a cancellation,
 * an answer to the organizer): like sending a message, nothing leaves the server without a
 * confirmation token bound to exactly that change and its recipients. A write that mails nobody
 * is made at once.
 */

export interface Notification {
  method: "REQUEST" | "CANCEL" | "REPLY";
  /** The addresses the iCalendar message goes to. */
  to: string[];
}

/** What every such tool answers: the change made (or only confirmed), and the mail. */
export function notificationOutput<E extends z.ZodType>(event: E) {
  return {
    applied: z
      .boolean()
      .describe("The calendar was changed (false: only confirmed, call again with the token)"),
    event: event.nullable(),
    notification: z
      .object({ method: z.string(), to: z.array(z.string()), sent: z.boolean() })
      .nullable()
      .describe("The iCalendar email this change sends (null: none)"),
    confirmation_token: z.string().optional().describe("Call again with the same arguments and this token"),
    expires_at: z.number().optional().describe("Unix seconds; after that, call without a token again"),
  };
}

export async function confirmOrRun<E>(
  ctx: ToolContext,
  step: { subject: object; notification: Notification | null; token: string | undefined; tool: string },
  run: (notify: boolean) => Promise<E>,
) {
  const { notification } = step;
  if (!notification || notification.to.length === 0) {
    return { applied: true, event: await run(false), notification: null };
  }
  const subject = { ...step.subject, notification };
  if (step.token === undefined) {
    return {
      applied: false,
      event: null,
      notification: { ...notification, sent: false },
      ...ctx.confirmations.issue(subject),
    };
  }
  ctx.confirmations.spend(step.token, subject, `${step.tool} without confirmation_token`);
  return { applied: true, event: await run(true), notification: { ...notification, sent: true } };
}
