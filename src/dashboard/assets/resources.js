import { api, esc, when } from "./api.js";

// Policies, rules, lists and workspaces: one list-and-form page each, driven by the table below.
// Field kinds: text, number, checkbox, select (options), json (a text area holding JSON). A field
// with `create: true` only exists on create (the API refuses to change it). The API validates:
// its error message is shown next to the form, as it said it.

const JSON_HINT = "JSON; leave empty to omit.";

export const RESOURCES = {
  policies: {
    title: "Policies",
    one: "policy",
    path: "/v3/policies",
    update: "PUT",
    columns: [
      ["Name", (p) => p.name],
      ["Limits", (p) => Object.keys(p.limits ?? {}).length || "–"],
      ["Spam detection", (p) => (p.spam_detection ? "on" : "off")],
    ],
    fields: [
      { name: "name", label: "Name", kind: "text", required: true },
      {
        name: "limits",
        label: "Limits",
        kind: "json",
        hint: 'e.g. {"limit_storage_total": 1073741824, "limit_count_daily_email_sent": 100, "limit_count_daily_message_received": 1000}; -1 means no limit.',
      },
      {
        name: "spam_detection",
        label: "Spam detection",
        kind: "json",
        hint: 'e.g. {"use_list_dnsbl": true, "use_header_anomaly_detection": true, "spam_sensitivity": 1}',
      },
      { name: "options", label: "Options", kind: "json", hint: JSON_HINT },
    ],
  },
  rules: {
    title: "Rules",
    one: "rule",
    path: "/v3/rules",
    update: "PUT",
    columns: [
      ["Name", (r) => r.name],
      ["Trigger", (r) => r.trigger],
      ["Priority", (r) => r.priority],
      ["Enabled", (r) => (r.enabled === false ? "no" : "yes")],
      ["Actions", (r) => (r.actions ?? []).map((a) => a.type).join(", ")],
    ],
    fields: [
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "description", label: "Description", kind: "text" },
      { name: "priority", label: "Priority (0–1000)", kind: "number" },
      { name: "enabled", label: "Enabled", kind: "checkbox", initial: true },
      { name: "trigger", label: "Trigger", kind: "select", options: ["inbound", "outbound"] },
      {
        name: "match",
        label: "Match",
        kind: "json",
        initial: {
          operator: "any",
          conditions: [{ field: "from.domain", operator: "is", value: "example.com" }],
        },
        hint: "operator all|any; conditions of {field, operator, value}.",
      },
      {
        name: "actions",
        label: "Actions",
        kind: "json",
        initial: [{ type: "mark_as_spam" }],
        hint: "block, mark_as_spam, mark_as_read, mark_as_starred, archive, trash, assign_to_folder {value}.",
      },
    ],
  },
  lists: {
    title: "Lists",
    one: "list",
    path: "/v3/lists",
    update: "PUT",
    items: true,
    columns: [
      ["Name", (l) => l.name],
      ["Type", (l) => l.type],
      ["Items", (l) => l.items_count ?? 0],
    ],
    fields: [
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "description", label: "Description", kind: "text" },
      { name: "type", label: "Type", kind: "select", options: ["domain", "tld", "address"], create: true },
    ],
  },
  workspaces: {
    title: "Workspaces",
    one: "workspace",
    path: "/v3/workspaces",
    update: "PATCH",
    columns: [
      ["Name", (w) => w.name],
      ["Domain", (w) => w.domain ?? "–"],
      ["Auto-group", (w) => (w.auto_group ? "yes" : "no")],
      ["Policy", (w, refs) => (w.policy_id ? (refs.policy_id?.get(w.policy_id) ?? w.policy_id) : "–")],
      ["Rules", (w) => (w.rule_ids ?? []).length],
    ],
    fields: [
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "domain", label: "Domain", kind: "text", create: true },
      { name: "auto_group", label: "Auto-group accounts of this domain", kind: "checkbox", initial: true },
      { name: "policy_id", label: "Policy", kind: "ref", source: "/v3/policies?limit=200", nullable: true },
      { name: "rule_ids", label: "Rule ids", kind: "json", hint: 'e.g. ["<rule id>"]' },
    ],
  },
};

const path = (r, id) => `${r.path}/${encodeURIComponent(id)}`;
/** Workspaces name their id `workspace_id` (as Nylas does); the others `id`. */
const idOf = (o) => o.id ?? o.workspace_id;
/** On the default workspace only these can change (the API refuses the others). */
const DEFAULT_WORKSPACE_FIELDS = ["policy_id", "rule_ids"];

/** #/<resource>: the objects in a table and a form to create one. */
export async function resourceListView(main, key) {
  const r = RESOURCES[key];
  const [{ data }, refs] = await Promise.all([
    api("GET", `${r.path}${key === "workspaces" ? "" : "?limit=200"}`),
    refsOf(r),
  ]);
  main.innerHTML = `<h1>${esc(r.title)}</h1>
    <section class="panel"><table aria-label="${esc(r.title)}"><thead><tr>${r.columns
      .map(([h]) => `<th>${esc(h)}</th>`)
      .join("")}<th>Created</th></tr></thead><tbody>${
      data
        .map(
          (o) =>
            `<tr>${r.columns
              .map(
                ([, cell], i) =>
                  `<td>${i === 0 ? `<a href="#/${key}/${encodeURIComponent(idOf(o))}">${esc(cell(o, refs))}</a>` : esc(cell(o, refs))}</td>`,
              )
              .join("")}<td>${esc(when(o.created_at))}</td></tr>`,
        )
        .join("") || `<tr><td colspan="${r.columns.length + 1}" class="muted">No ${esc(r.one)} yet.</td></tr>`
    }</tbody></table></section>
    <section class="panel"><h2 id="form-title">Create a ${esc(r.one)}</h2>${formHtml(r, null, refs)}</section>`;
  bindForm(main, r, null, async (created) => {
    location.hash = `#/${key}/${encodeURIComponent(idOf(created))}`;
  });
}

/** #/<resource>/<id>: one object, its edit form, delete, and a list's items. */
export async function resourceView(main, key, id) {
  const r = RESOURCES[key];
  const [{ data: o }, refs] = await Promise.all([api("GET", path(r, id)), refsOf(r)]);
  main.innerHTML = `<p><a href="#/${key}">← ${esc(r.title)}</a></p>
    <h1>${esc(o.name)} <span class="muted">${esc(r.one)}</span></h1>
    <section class="panel"><h2 id="form-title">Edit</h2>${formHtml(r, o, refs)}
      <p class="muted">id <code>${esc(idOf(o))}</code>${o.default ? " · the default workspace: only its policy and rules can change" : ""} · created ${esc(when(o.created_at))} · updated ${esc(when(o.updated_at))}</p>
      <button type="button" class="danger" id="delete">Delete this ${esc(r.one)}</button></section>
    ${r.items ? `<section class="panel" id="items-panel"></section>` : ""}`;
  bindForm(main, r, o, () => resourceView(main, key, id));
  main.querySelector("#delete").addEventListener("click", async () => {
    if (!confirm(`Delete ${r.one} ${o.name}?`)) return;
    try {
      await api("DELETE", path(r, id));
      location.hash = `#/${key}`;
    } catch (err) {
      showError(main, err);
    }
  });
  if (r.items) await itemsPanel(main.querySelector("#items-panel"), r, o);
}

/** The fields a form shows: on edit, not those fixed at creation (nor, on the default workspace, all but two). */
function formFields(r, o) {
  if (!o) return r.fields;
  return r.fields.filter((f) => !f.create && (!o.default || DEFAULT_WORKSPACE_FIELDS.includes(f.name)));
}

/** For each `ref` field, the objects it may name: id → name. */
async function refsOf(r) {
  const refs = {};
  for (const f of r.fields.filter((x) => x.kind === "ref")) {
    const { data } = await api("GET", f.source);
    refs[f.name] = new Map(data.map((x) => [idOf(x), x.name]));
  }
  return refs;
}

function formHtml(r, o, refs) {
  const fields = formFields(r, o);
  return `<form id="resource-form" aria-labelledby="form-title" aria-describedby="form-error" novalidate>
    ${fields.map((f) => fieldHtml(f, o ? o[f.name] : f.initial, refs[f.name])).join("")}
    <p><button type="submit">${o ? "Save" : "Create"}</button></p>
    <p id="form-error" class="error" role="alert"></p></form>`;
}

function fieldHtml(f, value, choices) {
  const id = `field-${f.name}`;
  const hint = f.hint ? `<p class="muted" id="${id}-hint">${esc(f.hint)}</p>` : "";
  const described = f.hint ? ` aria-describedby="${id}-hint"` : "";
  if (f.kind === "checkbox")
    return `<div class="check"><input type="checkbox" id="${id}" name="${f.name}" ${value ? "checked" : ""}><label for="${id}">${esc(f.label)}</label></div>`;
  if (f.kind === "select")
    return `<label for="${id}">${esc(f.label)}</label><select id="${id}" name="${f.name}">${f.options
      .map((v) => `<option ${v === value ? "selected" : ""}>${esc(v)}</option>`)
      .join("")}</select>`;
  if (f.kind === "ref")
    return `<label for="${id}">${esc(f.label)}</label><select id="${id}" name="${f.name}"><option value="">(none)</option>${[
      ...choices,
    ]
      .map(([v, name]) => `<option value="${esc(v)}" ${v === value ? "selected" : ""}>${esc(name)}</option>`)
      .join("")}</select>`;
  if (f.kind === "json")
    return `<label for="${id}">${esc(f.label)}</label><textarea id="${id}" name="${f.name}" rows="8" spellcheck="false"${described}>${esc(
      value === undefined || value === null ? "" : JSON.stringify(value, null, 2),
    )}</textarea>${hint}`;
  return `<label for="${id}">${esc(f.label)}</label><input id="${id}" name="${f.name}" type="${f.kind}" ${
    f.required ? "required" : ""
  } value="${esc(value ?? "")}"${described}>${hint}`;
}

/** The form's fields as the API's body; a JSON field that does not parse is the caller's error. */
function formBody(form, r, o) {
  const editing = o !== null;
  const body = {};
  for (const f of formFields(r, o)) {
    const el = form.elements.namedItem(f.name);
    if (f.kind === "checkbox") body[f.name] = el.checked;
    else if (f.kind === "json") {
      const text = el.value.trim();
      if (!text) {
        if (editing && f.name === "rule_ids") body[f.name] = [];
        continue;
      }
      try {
        body[f.name] = JSON.parse(text);
      } catch (err) {
        throw new Error(`${f.label}: not valid JSON (${err.message})`);
      }
    } else if (f.kind === "number") {
      if (el.value !== "") body[f.name] = Number(el.value);
    } else if (el.value.trim() !== "") body[f.name] = el.value.trim();
    else if (editing && f.nullable) body[f.name] = null;
  }
  return body;
}

function bindForm(main, r, o, done) {
  const form = main.querySelector("#resource-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const body = formBody(form, r, o);
      const { data } = o ? await api(r.update, path(r, idOf(o)), body) : await api("POST", r.path, body);
      await done(data);
    } catch (err) {
      showError(main, err);
    }
  });
}

function showError(main, err) {
  const out = main.querySelector("#form-error");
  out.textContent = err.message;
  out.focus?.();
}

/** A list's items, in the order added: add some (one a line), remove one. */
async function itemsPanel(panel, r, list) {
  const { data } = await api("GET", `${path(r, list.id)}/items?limit=200`);
  const items = data.map((i) => i.value);
  panel.innerHTML = `<h2>Items (${esc(list.items_count ?? items.length)})</h2>
    <ul class="items" aria-label="Items">${
      items
        .map(
          (v) =>
            `<li><code>${esc(v)}</code> <button type="button" class="link" data-remove="${esc(v)}" aria-label="Remove ${esc(v)}">remove</button></li>`,
        )
        .join("") || `<li class="muted">No item yet.</li>`
    }</ul>
    <form id="add-items"><label for="new-items">Add ${esc(list.type)} items, one a line</label>
      <textarea id="new-items" rows="3" aria-describedby="items-error"></textarea>
      <p><button type="submit">Add items</button></p><p id="items-error" class="error" role="alert"></p></form>`;
  const change = async (method, values) => {
    try {
      await api(method, `${path(r, list.id)}/items`, { items: values });
      const { data: fresh } = await api("GET", path(r, list.id));
      await itemsPanel(panel, r, fresh);
    } catch (err) {
      panel.querySelector("#items-error").textContent = err.message;
    }
  };
  panel.querySelector("#add-items").addEventListener("submit", (e) => {
    e.preventDefault();
    const values = panel
      .querySelector("#new-items")
      .value.split("\n")
      .map((v) => v.trim())
      .filter(Boolean);
    void change("POST", values);
  });
  panel.querySelector(".items").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-remove]");
    if (button) void change("DELETE", [button.dataset.remove]);
  });
}
