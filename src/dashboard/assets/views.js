import { api, esc, when } from "./api.js";

const APP_PASSWORD_RULES =
  "18–40 printable ASCII characters, with an upper-case letter, a lower-case letter and a digit. " +
  "Mail clients (IMAP, SMTP submission) sign in with it; it is stored hashed and never shown again.";

export async function accountsView(main) {
  main.innerHTML = `
    <h1>Accounts</h1>
    <section class="panel" aria-labelledby="create-title">
      <h2 id="create-title">Create an account</h2>
      <form id="create" class="row">
        <div><label for="new-email">Email address</label>
          <input id="new-email" name="email" type="email" required placeholder="bot@agents.localhost"></div>
        <div><label for="new-password">App password</label>
          <input id="new-password" name="password" type="password" autocomplete="new-password" aria-describedby="password-rules"></div>
        <button type="submit">Create</button>
      </form>
      <p id="password-rules" class="muted">${esc(APP_PASSWORD_RULES)}</p>
      <p id="create-result" role="status"></p>
    </section>
    <section class="panel">
      <div class="row"><div><label for="search">Search</label>
        <input id="search" type="search" placeholder="address contains…"></div></div>
      <table aria-label="Accounts"><thead><tr><th>Email</th><th>Status</th><th>Usage (storage · sent today · received today)</th><th>Created</th><th>Actions</th></tr></thead>
      <tbody id="accounts"></tbody></table>
    </section>`;
  const grants = (await api("GET", "/v3/grants?limit=200")).data;
  const body = main.querySelector("#accounts");
  const render = (filter) => {
    const shown = grants.filter((g) => g.email.toLowerCase().includes(filter.toLowerCase()));
    body.innerHTML = shown.length
      ? shown
          .map(
            (g) => `<tr><td><a href="#/mail/${encodeURIComponent(g.id)}/inbox">${esc(g.email)}</a></td>
          <td><span class="badge ${esc(g.grant_status)}">${esc(g.grant_status)}</span></td>
          <td class="usage" data-usage="${esc(g.id)}">${usageHtml(usage.get(g.id))}</td>
          <td>${esc(when(g.created_at))}</td>
          <td class="row"><button type="button" class="secondary" data-rotate="${esc(g.id)}" aria-label="Rotate password of ${esc(g.email)}">Rotate password</button>
          <button type="button" class="danger" data-delete="${esc(g.id)}" aria-label="Delete ${esc(g.email)}">Delete</button></td></tr>`,
          )
          .join("")
      : `<tr><td colspan="5" class="muted">No account yet.</td></tr>`;
  };
  // Usage comes a row at a time, after the table: the list itself answers at once.
  const usage = new Map();
  render("");
  for (const g of grants) {
    api("GET", `/v3/grants/${encodeURIComponent(g.id)}/usage`).then(
      ({ data }) => {
        usage.set(g.id, data);
        const cell = body.querySelector(`[data-usage="${CSS.escape(g.id)}"]`);
        if (cell) cell.innerHTML = usageHtml(data);
      },
      () => {},
    );
  }
  main.querySelector("#search").addEventListener("input", (e) => render(e.target.value));
  main.querySelector("#create").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = main.querySelector("#create-result");
    const email = main.querySelector("#new-email").value.trim();
    const password = main.querySelector("#new-password").value;
    try {
      await api("POST", "/v3/connect/custom", {
        provider: "nylas",
        settings: password ? { email, app_password: password } : { email },
      });
      location.hash = `#/mail/${encodeURIComponent(email)}/inbox`;
    } catch (err) {
      out.className = "error";
      out.textContent = err.message;
    }
  });
  body.addEventListener("click", async (e) => {
    const target = e.target.closest("button");
    if (!target) return;
    const grant = grants.find((g) => g.id === (target.dataset.delete ?? target.dataset.rotate));
    if (!grant) return;
    if (target.dataset.delete && confirm(`Delete ${grant.email} and all its mail?`)) {
      await api("DELETE", `/v3/grants/${encodeURIComponent(grant.id)}`);
      await accountsView(main);
    }
    if (target.dataset.rotate) {
      const password = prompt(`New app password for ${grant.email}\n${APP_PASSWORD_RULES}`);
      if (!password) return;
      await api("PATCH", `/v3/grants/${encodeURIComponent(grant.id)}`, {
        settings: { email: grant.email, app_password: password },
      }).then(
        () => alert("Password rotated; open mail-client sessions end at their next command."),
        (err) => alert(err.message),
      );
    }
  });
}

const bytes = (n) =>
  n >= 1073741824
    ? `${(n / 1073741824).toFixed(1)} GB`
    : n >= 1048576
      ? `${(n / 1048576).toFixed(1)} MB`
      : `${Math.ceil(n / 1024)} KB`;

/** One used amount against its limit: a meter (a bar when limited) and "used / limit". */
function meter(label, used, limit, format = String) {
  const text = `${format(used)} / ${limit === null ? "no limit" : format(limit)}`;
  if (limit === null) return `<span class="meter-text">${esc(label)} ${esc(text)}</span><span></span>`;
  const ratio = limit > 0 ? Math.min(used / limit, 1) : 1;
  return `<span class="meter-text">${esc(label)} ${esc(text)}</span><meter min="0" max="1" low="0.8" high="0.95" optimum="0" value="${ratio}" aria-label="${esc(`${label} ${text}`)}"></meter>`;
}

function usageHtml(u) {
  if (!u) return `<span class="muted">…</span>`;
  return `<div class="meters">${meter("Storage", u.storage.used_bytes, u.storage.quota_bytes, bytes)}${meter(
    "Sent",
    u.sent_today.count,
    u.sent_today.limit,
  )}${meter("Received", u.received_today.count, u.received_today.limit)}</div>`;
}

export async function webhooksView(main) {
  const hooks = (await api("GET", "/v3/webhooks")).data;
  const histories = await Promise.all(
    hooks.map((h) => api("GET", `/v3/webhooks/${encodeURIComponent(h.id)}/deliveries?limit=20`)),
  );
  main.innerHTML = `<h1>Webhooks</h1><div id="webhooks">${
    hooks
      .map(
        (h, i) => `<section class="panel" aria-label="Webhook ${esc(h.webhook_url)}">
      <h2>${esc(h.webhook_url)} <span class="badge ${esc(h.status)}">${esc(h.status)}</span></h2>
      <p class="muted">${esc(h.description ?? "")} · ${esc((h.trigger_types ?? []).join(", "))}${
        h.delivery
          ? ` · pending ${esc(h.delivery.pending)}, failed ${esc(h.delivery.failed)}${h.delivery.last_error ? ` · <span class="error">last error: ${esc(h.delivery.last_error)}</span>` : ""}`
          : ""
      }</p>
      <table aria-label="Delivery attempts"><thead><tr><th>Time</th><th>Notification</th><th>Attempt</th><th>Outcome</th><th>Response</th><th>Latency</th><th>Error</th><th><span class="muted">Action</span></th></tr></thead><tbody>
      ${
        histories[i].data
          .map(
            (
              a,
            ) => `<tr><td>${esc(new Date(a.attempted_at_ms).toLocaleString())}</td><td><code>${esc(a.notification_id)}</code></td>
          <td>${esc(a.attempt)}</td><td><span class="badge ${esc(a.outcome === "retry" ? "pending" : a.outcome)}">${esc(a.outcome)}</span></td>
          <td>${esc(a.status_code ?? "–")}</td><td>${esc(a.duration_ms)} ms</td><td>${esc(a.error ?? "")}</td>
          <td>${a.outcome === "failed" ? `<button type="button" class="secondary" data-webhook="${esc(h.id)}" data-resend="${esc(a.notification_id)}" aria-label="Resend notification ${esc(a.notification_id)}">Resend</button>` : ""}</td></tr>`,
          )
          .join("") || `<tr><td colspan="8" class="muted">No attempt yet.</td></tr>`
      }</tbody></table></section>`,
      )
      .join("") || `<p class="muted">No webhook.</p>`
  }</div><p id="resend-result" role="status"></p>`;
  main.querySelector("#webhooks").addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-resend]");
    if (!button) return;
    const out = main.querySelector("#resend-result");
    try {
      await api(
        "POST",
        `/v3/webhooks/${encodeURIComponent(button.dataset.webhook)}/deliveries/${encodeURIComponent(button.dataset.resend)}/resend`,
        {},
      );
      out.className = "ok";
      out.textContent = `Notification ${button.dataset.resend} queued again.`;
      setTimeout(() => void webhooksView(main), 1500);
    } catch (err) {
      out.className = "error";
      out.textContent = err.message;
    }
  });
}

const RECORD_TYPES = ["ownership", "mx", "spf", "dkim", "feedback"];

/** Domains: add one, the DNS records to publish, a verify button per record with its result. */
export async function domainsView(main) {
  const domains = (await api("GET", "/v3/admin/domains?limit=200")).data;
  main.innerHTML = `<h1>Domains</h1>
    <section class="panel"><h2 id="add-title">Add a domain</h2>
      <form id="add-domain" class="row" aria-labelledby="add-title">
        <div><label for="domain-address">Domain</label><input id="domain-address" required placeholder="mail.example.com"></div>
        <button type="submit">Add</button></form><p id="add-result" role="status"></p></section>
    ${domains
      .map(
        (d) => `<section class="panel" aria-label="Domain ${esc(d.domain_address)}">
      <h2>${esc(d.domain_address)}${d.trial ? ' <span class="badge active">trial</span>' : ""}</h2>
      <table aria-label="DNS records of ${esc(d.domain_address)}"><thead><tr><th>Check</th><th>Record to publish</th><th>Result</th><th></th></tr></thead><tbody>
      ${RECORD_TYPES.map(
        (
          type,
        ) => `<tr data-domain="${esc(d.id)}" data-type="${type}"><td>${type}</td><td class="record muted">…</td>
        <td class="result" role="status"></td><td><button type="button" class="secondary" aria-label="Verify ${type} of ${esc(d.domain_address)}">Verify</button></td></tr>`,
      ).join("")}</tbody></table></section>`,
      )
      .join("")}`;
  main.querySelector("#add-domain").addEventListener("submit", async (e) => {
    e.preventDefault();
    const address = main.querySelector("#domain-address").value.trim();
    try {
      await api("POST", "/v3/admin/domains", { name: address, domain_address: address });
      await domainsView(main);
    } catch (err) {
      main.querySelector("#add-result").className = "error";
      main.querySelector("#add-result").textContent = err.message;
    }
  });
  for (const row of main.querySelectorAll("tr[data-domain]")) {
    const path = `/v3/admin/domains/${encodeURIComponent(row.dataset.domain)}`;
    api("POST", `${path}/info`, { type: row.dataset.type }).then(
      ({ data }) => {
        const o = data.attempt?.options ?? data.options ?? {};
        row.querySelector(".record").innerHTML = o.type
          ? `<code>${esc(o.type)} ${esc(o.host)}${o.priority !== undefined ? ` ${esc(o.priority)}` : ""} ${esc(o.value)}</code>`
          : "–";
      },
      (err) => {
        row.querySelector(".record").textContent = err.message;
      },
    );
    row.querySelector("button").addEventListener("click", async () => {
      const out = row.querySelector(".result");
      out.textContent = "Checking…";
      try {
        const { data } = await api("POST", `${path}/verify`, { type: row.dataset.type });
        out.className = `result ${data.status === "done" ? "ok" : "error"}`;
        out.textContent =
          data.status === "done" ? "verified" : (data.message ?? data.attempt?.message ?? "failed");
      } catch (err) {
        out.className = "result error";
        out.textContent = err.message;
      }
    });
  }
}

const QUEUE_STATES = ["pending", "deferred", "sending", "delivered", "bounced"];

/** The outbound queue: one row per recipient, by state; retry now or cancel the waiting ones. */
export async function outboundView(main, state = "") {
  const page = await api("GET", `/v3/admin/outbound?limit=100${state ? `&state=${state}` : ""}`);
  main.innerHTML = `<h1>Outbound queue</h1>
    <div class="row"><div><label for="queue-state">State</label>
      <select id="queue-state"><option value="">all</option>${QUEUE_STATES.map((s) => `<option ${s === state ? "selected" : ""}>${s}</option>`).join("")}</select></div></div>
    <section class="panel"><table aria-label="Outbound queue"><thead><tr><th>Created</th><th>From → To</th><th>State</th><th>Attempts</th><th>Next attempt</th><th>Last error</th><th><span class="muted">Actions</span></th></tr></thead><tbody>
    ${
      page.data
        .map((e) => {
          const waiting = e.state === "pending" || e.state === "deferred";
          return `<tr><td>${esc(when(e.created_at))}</td><td>${esc(e.from)} → ${esc(e.to)}</td>
          <td><span class="badge ${e.state === "delivered" ? "delivered" : e.state === "bounced" ? "failed" : "pending"}">${esc(e.state)}</span></td>
          <td>${esc(e.attempts)}</td><td>${waiting ? esc(when(e.next_attempt_at)) : "–"}</td><td>${esc(e.last_error ?? "")}</td>
          <td class="row">${waiting ? `<button type="button" class="secondary" data-retry="${esc(e.id)}" aria-label="Retry now to ${esc(e.to)}">Retry now</button><button type="button" class="danger" data-cancel="${esc(e.id)}" aria-label="Cancel delivery to ${esc(e.to)}">Cancel</button>` : ""}</td></tr>`;
        })
        .join("") || `<tr><td colspan="7" class="muted">Nothing here.</td></tr>`
    }</tbody></table></section><p id="queue-result" role="status"></p>`;
  main
    .querySelector("#queue-state")
    .addEventListener("change", (e) => void outboundView(main, e.target.value));
  main.querySelector("tbody").addEventListener("click", async (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    const out = main.querySelector("#queue-result");
    try {
      if (button.dataset.retry)
        await api("POST", `/v3/admin/outbound/${encodeURIComponent(button.dataset.retry)}/retry`, {});
      else await api("DELETE", `/v3/admin/outbound/${encodeURIComponent(button.dataset.cancel)}`);
      await outboundView(main, state);
    } catch (err) {
      out.className = "error";
      out.textContent = err.message;
    }
  });
}
