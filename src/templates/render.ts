/**
 * Nylas's template engines over what its API can give them: `variables` is a map of strings
 * (its schema), so a template substitutes strings and tests whether one is set. Each engine's own
 * spelling of that is understood — mustache `{{name}}`, `{{{name}}}`, `{{#name}}…{{/name}}`,
 * `{{^name}}…`; handlebars the same plus `{{#if name}}…{{else}}…{{/if}}`, `{{#unless}}`; nunjucks
 * and twig `{{ name }}`, `{{ name | safe }}` (twig `raw`), `{% if [not] name %}…{% else %}…{% endif %}`
 * — and comments. Anything else (loops, partials, helpers, other filters) is refused when the
 * template is saved, never silently rendered wrong. Substitutions into HTML (a body) are escaped
 * unless raw; into text (a subject) never: a subject is not HTML, "&lt;" there would be shown as is.
 */

export const ENGINES = ["handlebars", "mustache", "nunjucks", "twig"] as const;
export type Engine = (typeof ENGINES)[number];

export class TemplateError extends Error {}

type Node =
  | { kind: "text"; text: string }
  | { kind: "var"; name: string; raw: boolean }
  | { kind: "if"; name: string; negate: boolean; then: Node[]; otherwise: Node[] };

/** What a tag means, before nesting is resolved. */
type Tag =
  | { kind: "text"; text: string }
  | { kind: "var"; name: string; raw: boolean }
  | { kind: "open"; name: string; negate: boolean; closer: string }
  | { kind: "else" }
  | { kind: "close"; closer: string };

const NAME = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

/** Parses a template; a construct this server cannot render is a TemplateError naming it. */
export function parseTemplate(source: string, engine: Engine): Node[] {
  const tags =
    engine === "mustache" || engine === "handlebars" ? curlyTags(source, engine) : jinjaTags(source);
  const [nodes, rest] = nest(tags, 0, null);
  if (rest < tags.length) throw new TemplateError("a closing tag has no opening tag");
  return nodes;
}

/** The variable names a template uses (a strict render needs every one of them). */
export function variablesOf(nodes: Node[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.kind === "var") into.add(n.name);
    if (n.kind === "if") {
      into.add(n.name);
      variablesOf(n.then, into);
      variablesOf(n.otherwise, into);
    }
  }
  return into;
}

/**
 * Renders with `variables`. Strict (Nylas's default): a variable the template uses and
 * `variables` lacks is an error naming it; otherwise it renders as empty. `html: false` for a
 * subject: nothing is escaped.
 */
export function renderTemplate(
  source: string,
  engine: Engine,
  variables: Record<string, string>,
  strict: boolean,
  html = true,
): string {
  const nodes = parseTemplate(source, engine);
  if (strict) {
    const missing = [...variablesOf(nodes)].filter((name) => lookup(variables, name) === undefined);
    if (missing.length > 0) throw new TemplateError(`variables missing: ${missing.join(", ")}`);
  }
  return render(nodes, variables, html);
}

function render(nodes: Node[], variables: Record<string, string>, html: boolean): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "var") {
      const value = lookup(variables, n.name) ?? "";
      out += n.raw || !html ? value : escapeHtml(value);
    } else {
      const set = (lookup(variables, n.name) ?? "") !== "";
      out += render(set !== n.negate ? n.then : n.otherwise, variables, html);
    }
  }
  return out;
}

/** A name is looked up whole (`user.name` may be a key as given); there is no nesting in strings. */
function lookup(variables: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(variables, name) ? variables[name] : undefined;
}

function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function nest(tags: Tag[], from: number, closer: string | null): [Node[], number, Node[] | null] {
  const nodes: Node[] = [];
  let otherwise: Node[] | null = null;
  let current = nodes;
  for (let i = from; i < tags.length; i++) {
    const tag = tags[i] as Tag;
    if (tag.kind === "text" || tag.kind === "var") current.push(tag);
    else if (tag.kind === "open") {
      const [then, end, elseNodes] = nest(tags, i + 1, tag.closer);
      current.push({ kind: "if", name: tag.name, negate: tag.negate, then, otherwise: elseNodes ?? [] });
      i = end;
    } else if (tag.kind === "else") {
      if (closer === null || otherwise !== null) throw new TemplateError("an else outside a condition");
      otherwise = [];
      current = otherwise;
    } else {
      if (tag.closer !== closer)
        throw new TemplateError(`a closing tag for ${tag.closer} without its opening tag`);
      return [nodes, i, otherwise];
    }
  }
  if (closer !== null) throw new TemplateError(`${closer} is never closed`);
  return [nodes, tags.length, null];
}

/** Mustache and handlebars: `{{…}}` tags. */
function curlyTags(source: string, engine: Engine): Tag[] {
  const tags: Tag[] = [];
  const re = /\{\{!--[\s\S]*?--\}\}|\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{([\s\S]*?)\}\}/g;
  let at = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index > at) tags.push({ kind: "text", text: source.slice(at, m.index) });
    at = re.lastIndex;
    if (m[1] !== undefined) tags.push({ kind: "var", name: checkName(m[1], m[0]), raw: true });
    else if (m[2] !== undefined) {
      const tag = curlyTag(m[2].trim(), m[0], engine);
      if (tag) tags.push(tag);
    }
  }
  if (at < source.length) tags.push({ kind: "text", text: source.slice(at) });
  return tags;
}

function curlyTag(body: string, whole: string, engine: Engine): Tag | null {
  if (body.startsWith("!")) return null;
  const sigil = body[0];
  const rest = body.slice(1).trim();
  if (sigil === "&") return { kind: "var", name: checkName(rest, whole), raw: true };
  if (sigil === ">") throw new TemplateError(`${whole}: partials are not supported`);
  if (engine === "handlebars" && (body === "else" || body === "^")) return { kind: "else" };
  if (sigil === "#" || sigil === "^") {
    const helper = /^(if|unless)\s+(.+)$/.exec(rest);
    if (engine === "handlebars" && helper) {
      const [, word, name] = helper as unknown as [string, string, string];
      return { kind: "open", name: checkName(name, whole), negate: word === "unless", closer: word };
    }
    if (/\s/.test(rest)) {
      const helper = rest.split(/\s/)[0];
      throw new TemplateError(`${whole}: the block helper ${helper} is not supported (if and unless are)`);
    }
    return { kind: "open", name: checkName(rest, whole), negate: sigil === "^", closer: rest };
  }
  if (sigil === "/") return { kind: "close", closer: rest };
  return { kind: "var", name: checkName(body, whole), raw: false };
}

/** Nunjucks and twig: `{{ … }}` expressions, `{% … %}` statements, `{# … #}` comments. */
function jinjaTags(source: string): Tag[] {
  const tags: Tag[] = [];
  const re = /\{#[\s\S]*?#\}|\{%-?\s*([\s\S]*?)\s*-?%\}|\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
  let at = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index > at) tags.push({ kind: "text", text: source.slice(at, m.index) });
    at = re.lastIndex;
    if (m[1] !== undefined) tags.push(statement(m[1], m[0]));
    else if (m[2] !== undefined) tags.push(expression(m[2], m[0]));
  }
  if (at < source.length) tags.push({ kind: "text", text: source.slice(at) });
  return tags;
}

function statement(body: string, whole: string): Tag {
  if (body === "else") return { kind: "else" };
  if (body === "endif") return { kind: "close", closer: "if" };
  const cond = /^if\s+(not\s+)?(.+)$/.exec(body);
  if (cond)
    return { kind: "open", name: checkName(cond[2] as string, whole), negate: !!cond[1], closer: "if" };
  throw new TemplateError(`${whole}: only if, else and endif statements are supported`);
}

function expression(body: string, whole: string): Tag {
  const [name = "", ...filters] = body.split("|").map((p) => p.trim());
  let raw = false;
  for (const f of filters) {
    if (f === "safe" || f === "raw") raw = true;
    else if (f !== "escape" && f !== "e") {
      throw new TemplateError(`${whole}: the filter ${f} is not supported (safe, raw and escape are)`);
    }
  }
  return { kind: "var", name: checkName(name, whole), raw };
}

function checkName(name: string, whole: string): string {
  if (!NAME.test(name)) {
    throw new TemplateError(`${whole}: only variable names (letters, digits, _ - and dots) are supported`);
  }
  return name;
}
