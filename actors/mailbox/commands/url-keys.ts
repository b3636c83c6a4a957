import { randomBytes } from "node:crypto";
import { dropUrlKeys, ensureUrlKey } from "../../../src/mailbox/writes/url-keys.ts";
import { command } from "../command.ts";
import { requireFolder } from "../state.ts";

/**
 * GENURLAUTH's key (RFC 4467): the folder's URLAUTH secret, made on first use and durable before
 * any URL it signs is handed out.
 */
export const urlKey = command<{ folderId: string }, Buffer>(async (ctx, cmd) => {
  const folder = requireFolder(ctx.state, cmd.folderId);
  return ensureUrlKey(ctx.tx, ctx.state.grantId, folder.id, randomBytes(32), ctx.now);
});

/** RESETKEY: forgets one folder's key, or every folder's; the URLs they signed stop working. */
export const resetUrlKeys = command<{ folderId?: string }, void>(async (ctx, cmd) => {
  if (cmd.folderId !== undefined) requireFolder(ctx.state, cmd.folderId);
  dropUrlKeys(ctx.tx, ctx.state.grantId, cmd.folderId);
});
