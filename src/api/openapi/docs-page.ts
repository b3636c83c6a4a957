/**
 * `/docs`: the OpenAPI document as one page to browse, rendered here (no script, nothing loaded
 * from elsewhere): the operations by tag with their parameters, bodies and answers, then the
 * schemas they refer to.
 */

interface Doc {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, unknown> };
}
interface Op {
  operationId: string;
  summary: string;
  tags?: string[];
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, Answer>;
}
interface Answer {
  description: string;
  content?: Record<string, { schema?: unknown }>;
}

let cached: string | undefined;

export function docsPage(document: Record<string, unknown>): string {
  cached ??= render(document as unknown as Doc);
  return cached;
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h2{margin-top:2.5rem;border-bottom:1px solid #ddd}code,pre{font:13px ui-monospace,monospace}
pre{background:#f6f8fa;padding:.6rem;overflow:auto}details{margin:.4rem 0;border:1px solid #e3e6ea;border-radius:6px;padding:.3rem .6rem}
summary{cursor:pointer}.m{display:inline-block;min-width:4rem;font-weight:600;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put{color:#a60}.patch{color:#a60}.delete{color:#c22}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left;vertical-align:top}`;

function render(doc: Doc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op)]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${esc(tag)}">${esc(tag)}</h2>${ops.join("")}`);
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, schema]) =>
      `<details id="schema-${esc(name)}"><summary><code>${esc(name)}</code></summary>${pre(schema)}</details>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(doc.info.title)} API</title><style>${STYLE}</style></head><body>
<h1>${esc(doc.info.title)} API <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/v3/openapi.json">/v3/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join(" · ")} · <a href="#schemas">Schemas</a></nav>
${sections.join("\n")}
<h2 id="schemas">Schemas</h2>${schemas.join("")}
</body></html>`;
}

function operation(method: string, path: string, op: Op): string {
  const params = op.parameters ?? [];
  const table = params.length
    ? `<table><tr><th>parameter</th><th>in</th><th>what</th></tr>${params
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${esc(p.description ?? "")}</td></tr>`,
        )
        .join("")}</table>`
    : "";
  const body = op.requestBody
    ? `<p>Body (${Object.keys(op.requestBody.content).map(esc).join(", ")}):</p>${pre(Object.values(op.requestBody.content)[0]?.schema)}`
    : "";
  const answers = Object.entries(op.responses)
    .map(([status, r]) => `<li><b>${esc(status)}</b> ${esc(r.description)}${schemaLink(r)}</li>`)
    .join("");
  return `<details id="${esc(op.operationId)}"><summary><span class="m ${esc(method)}">${esc(method)}</span> <code>${esc(path)}</code> — ${esc(op.summary)}</summary>
${table}${body}<ul>${answers}</ul></details>`;
}

function schemaLink(response: Answer): string {
  const json = response.content?.["application/json"]?.schema;
  if (!json) return "";
  const refs = [...JSON.stringify(json).matchAll(/#\/components\/schemas\/(\w+)/g)].map(([, name]) => name);
  return refs.length
    ? `: ${[...new Set(refs)].map((n) => `<a href="#schema-${esc(n)}">${esc(n)}</a>`).join(", ")}`
    : "";
}

const pre = (value: unknown) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
