import { MailboxError } from "../domain/errors.ts";
import { textAlternative } from "../mail/compose/html-text.ts";
import { ComposeError, type SendRequest, type TemplateRef } from "../mail/compose/request.ts";
import { findSignature } from "../signatures/signatures.ts";
import type { GrantRow, TemplateRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type Engine, renderTemplate, TemplateError } from "../templates/render.ts";
import { findTemplate } from "../templates/templates.ts";

/**
 * What a send's or a draft's `template` and `signature_id` do, as Nylas documents them: the
 * template (the grant's own, else its application's), rendered with the variables, gives the
 * subject and the body the request leaves empty ("can be overridden by the body and subject
 * fields"); then the signature is appended to the body after a line break. The request comes
 * back with both applied and consumed.
 */
export function withContent(store: Store, grant: GrantRow | Sender, req: SendRequest): SendRequest {
  const sender: Sender = "email" in grant ? { applicationId: grant.applicationId, grantId: grant.id } : grant;
  let out: SendRequest = { ...req };
  if (req.template) out = withTemplate(store, sender, out, req.template);
  if (req.signatureId) {
    if (sender.grantId === null) throw new ComposeError("signature_id", "signature_id needs a grant's send");
    out = withSignature(store, sender.grantId, out, req.signatureId);
  }
  delete out.template;
  delete out.signatureId;
  return out;
}

/** Who sends: a grant of an application, or (a transactional send) the application alone. */
export interface Sender {
  applicationId: string;
  grantId: string | null;
}

function withTemplate(store: Store, sender: Sender, req: SendRequest, ref: TemplateRef): SendRequest {
  const template =
    (sender.grantId !== null ? findTemplate(store, sender, ref.id) : null) ??
    findTemplate(store, { applicationId: sender.applicationId, grantId: null }, ref.id);
  if (!template) throw new MailboxError("not_found", `template ${ref.id} not found`);
  const variables = stringVariables(ref.variables ?? {});
  const strict = ref.strict ?? true;
  return {
    ...req,
    subject: req.subject || render(template, template.subject, variables, strict, false),
    body: req.body || render(template, template.body, variables, strict, true),
  };
}

function render(
  t: TemplateRow,
  source: string,
  variables: Record<string, string>,
  strict: boolean,
  html: boolean,
) {
  try {
    return renderTemplate(source, t.engine as Engine, variables, strict, html);
  } catch (err) {
    if (err instanceof TemplateError) throw new ComposeError("template", `template ${t.id}: ${err.message}`);
    throw err;
  }
}

/** Nylas's variables are strings; numbers and booleans are written as JSON writes them. */
export function stringVariables(variables: Record<string, unknown>, path = "template.variables") {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(variables)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else throw new ComposeError(`${path}.${k}`, `${path}.${k} must be a string`);
  }
  return out;
}

function withSignature(store: Store, grantId: string, req: SendRequest, id: string): SendRequest {
  const signature = findSignature(store, grantId, id);
  if (!signature) throw new MailboxError("not_found", `signature ${id} not found`);
  const body = req.isPlaintext
    ? `${req.body}\n\n${textAlternative(signature.body)}`
    : `${req.body}<br><br>${signature.body}`;
  return { ...req, body };
}
