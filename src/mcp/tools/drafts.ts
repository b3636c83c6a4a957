import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { grantPath, resolveGrant } from "../grant.ts";
import { summarize } from "../message-view.ts";
import { CHANGE, defineTool } from "../tool.ts";
import { outgoingFields, requestBody } from "./outgoing.ts";
import { grantArg, messageSummary } from "./schemas.ts";

const draft = messageSummary.extend({ bcc: z.array(z.looseObject({})), body: z.string() });

function presentDraft(d: Record<string, unknown>) {
  return { ...summarize(d), bcc: (d.bcc as { email: string }[]) ?? [], body: String(d.body ?? "") };
}

export const createDraft = defineTool({
  name: "create_draft",
  title: "Create a draft",
  description: "Saves a draft in the account's Drafts folder. Nothing is sent.",
  input: {
    grant: grantArg,
    ...outgoingFields,
    to: outgoingFields.to.optional(),
    body: outgoingFields.body.optional(),
  },
  output: { draft },
  hints: { ...CHANGE, idempotentHint: false },
  run: async (ctx, { grant, ...fields }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.post(grantPath(id, "/drafts"), requestBody(fields));
    return { draft: presentDraft(reply.body.data as Record<string, unknown>) };
  },
});

export const updateDraft = defineTool({
  name: "update_draft",
  title: "Update a draft",
  description: "Changes the given fields of a draft; the others stay. Nothing is sent.",
  input: {
    grant: grantArg,
    draft_id: z.string().min(1),
    ...outgoingFields,
    to: outgoingFields.to.optional(),
    body: outgoingFields.body.optional(),
  },
  output: { draft },
  hints: CHANGE,
  run: async (ctx, { grant, draft_id, ...fields }) => {
    const body = Object.fromEntries(Object.entries(requestBody(fields)).filter(([, v]) => v !== undefined));
    if (Object.keys(body).length === 0)
      throw new ToolFailure("say what to change: to, cc, bcc, subject or body");
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.put(grantPath(id, `/drafts/${encodeURIComponent(draft_id)}`), body);
    return { draft: presentDraft(reply.body.data as Record<string, unknown>) };
  },
});
