import { api, esc, when, who } from "./api.js";

const grantPath = (grant) => `/v3/grants/${encodeURIComponent(grant)}`;

/** Folders, the folder's messages (newest first, paged), refreshed live from the event stream. */
export async function mailboxView(main, grant, folder, pageToken) {
  const [account, folders] = await Promise.all([
    api("GET", grantPath(grant)),
    api("GET", `${grantPath(grant)}/folders`),
  ]);
  main.innerHTML = `<h1>${esc(account.data.email)}</h1>
    <div class="mailbox">
      <nav class="folders panel" aria-label="Folders">${folders.data
        .map(
          (f) =>
            `<a href="#/mail/${encodeURIComponent(grant)}/${encodeURIComponent(f.id)}" ${f.id === folder ? 'aria-current="page"' : ""}>${esc(f.name)}${f.unread_count ? ` (${esc(f.unread_count)})` : ""}</a>`,
        )
        .join("")}</nav>
      <section class="panel" aria-live="polite">
        <table aria-label="Messages"><thead><tr><th>From</th><th>Subject</th><th>Received</th></tr></thead>
        <tbody id="messages"></tbody></table>
        <p class="row"><a id="next" hidden>Older messages</a><span id="live" class="muted"></span></p>
      </section>
    </div>`;
  const load = async () => {
    const q = new URLSearchParams({ in: folder, limit: "50", ...(pageToken && { page_token: pageToken }) });
    const page = await api("GET", `${grantPath(grant)}/messages?${q}`);
    main.querySelector("#messages").innerHTML =
      page.data
        .map(
          (m) => `<tr class="${m.unread ? "unread" : ""}"><td>${esc(who(m.from))}</td>
          <td><a href="#/message/${encodeURIComponent(grant)}/${encodeURIComponent(m.id)}">${esc(m.subject || "(no subject)")}</a>
          <div class="muted">${esc(m.snippet)}</div></td><td>${esc(when(m.date))}</td></tr>`,
        )
        .join("") || `<tr><td colspan="3" class="muted">No message in this folder.</td></tr>`;
    const next = main.querySelector("#next");
    next.hidden = !page.next_cursor;
    if (page.next_cursor)
      next.href = `#/mail/${encodeURIComponent(grant)}/${encodeURIComponent(folder)}/${encodeURIComponent(page.next_cursor)}`;
  };
  await load();
  if (pageToken) return;
  // New mail shows up without a reload: the event stream says when this grant's messages change.
  const stream = new EventSource(
    `/dashboard/api/v3/events/stream?grant_id=${encodeURIComponent(account.data.id)}&types=message.created,message.updated`,
  );
  const live = main.querySelector("#live");
  stream.onopen = () => {
    live.textContent = "Live";
  };
  stream.onmessage = () => void load();
  stream.addEventListener("message.created", () => void load());
  stream.addEventListener("message.updated", () => void load());
  const stop = () => {
    stream.close();
    window.removeEventListener("hashchange", stop);
  };
  window.addEventListener("hashchange", stop);
}

/** One message: sandboxed HTML (no script, no remote content), text, headers, raw, verdicts, codes. */
export async function messageView(main, grant, id) {
  const path = `${grantPath(grant)}/messages/${encodeURIComponent(id)}`;
  const [{ data: m }, { data: withHeaders }] = await Promise.all([
    api("GET", path),
    api("GET", `${path}?fields=include_headers`),
  ]);
  const headers = withHeaders.headers ?? [];
  const auth = headers
    .filter((h) => /^authentication-results$/i.test(h.name))
    .map((h) => h.value)
    .join("\n");
  const verdict = (name) =>
    /* spf=pass, dkim=fail, … */ new RegExp(`\\b${name}=(\\w+)`, "i").exec(auth)?.[1] ?? "none";
  const extracted = m.extracted ?? {};
  main.innerHTML = `<p><a href="#/mail/${encodeURIComponent(grant)}/${encodeURIComponent(m.folders?.[0] ?? "inbox")}">← Back to the folder</a></p>
    <h1>${esc(m.subject || "(no subject)")}</h1>
    <section class="panel"><dl class="fields">
      <dt>From</dt><dd>${esc(who(m.from))}</dd><dt>To</dt><dd>${esc(who(m.to))}</dd>
      <dt>Date</dt><dd>${esc(when(m.date))}</dd>
      <dt>SPF / DKIM / DMARC</dt><dd>${["spf", "dkim", "dmarc"].map((n) => `${n.toUpperCase()} <span class="badge ${verdict(n) === "pass" ? "active" : "failing"}">${esc(verdict(n))}</span>`).join(" ")}</dd>
      <dt>Codes</dt><dd>${esc((extracted.codes ?? []).map((c) => c.value ?? c).join(", ") || "–")}</dd>
      <dt>Links</dt><dd>${(extracted.links ?? []).map((l) => esc(l.url ?? l)).join("<br>") || "–"}</dd>
      <dt>Attachments</dt><dd>${(m.attachments ?? []).map((a) => `<a href="/dashboard/api${grantPath(grant)}/attachments/${encodeURIComponent(a.id)}/download?message_id=${encodeURIComponent(m.id)}">${esc(a.filename || a.id)}</a> <span class="muted">${esc(a.content_type)}, ${esc(a.size)} bytes</span>`).join("<br>") || "–"}</dd>
    </dl></section>
    <div class="tabs" role="tablist" aria-label="Message views">
      ${["html", "text", "headers", "raw"].map((t, i) => `<button type="button" role="tab" id="tab-${t}" aria-controls="view" aria-selected="${i === 0}">${t === "html" ? "HTML" : t[0].toUpperCase() + t.slice(1)}</button>`).join("")}
    </div>
    <section id="view" role="tabpanel" aria-labelledby="tab-html"></section>`;
  const view = main.querySelector("#view");
  const show = async (tab) => {
    for (const b of main.querySelectorAll("[role=tab]"))
      b.setAttribute("aria-selected", String(b.id === `tab-${tab}`));
    view.setAttribute("aria-labelledby", `tab-${tab}`);
    view.replaceChildren();
    if (tab === "html") {
      // sandbox="" : no scripts, no forms, no top navigation, a unique origin. The frame inherits
      // the dashboard's CSP, so remote images, fonts and style sheets are not fetched either.
      const frame = bodyFrame();
      frame.srcdoc = m.body ?? "";
      view.append(frame);
      if (/<img|background|url\(/i.test(m.body ?? "")) view.prepend(remoteImagesBar(grant, m.id, frame));
    } else if (tab === "text") {
      const doc = new DOMParser().parseFromString(m.body ?? "", "text/html");
      view.append(pre(doc.body.textContent ?? ""));
    } else if (tab === "headers") {
      view.append(pre(headers.map((h) => `${h.name}: ${h.value}`).join("\n")));
    } else {
      const { data } = await api("GET", `${path}?fields=raw_mime`);
      const b64 = data.raw_mime.replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      view.append(pre(new TextDecoder().decode(bytes)));
    }
  };
  main.querySelector("[role=tablist]").addEventListener("click", (e) => {
    const tab = e.target.closest("[role=tab]");
    if (tab) void show(tab.id.slice(4));
  });
  await show("html");
}

function bodyFrame() {
  const frame = document.createElement("iframe");
  frame.className = "body";
  frame.title = "Message body";
  frame.setAttribute("sandbox", "");
  frame.setAttribute("referrerpolicy", "no-referrer");
  return frame;
}

/**
 * Remote images stay blocked until asked for, for this message only and this view only: the
 * frame is replaced by one whose document the server serves under a policy allowing https:
 * images (still no script, no form). Nothing is remembered: the next message starts blocked.
 */
function remoteImagesBar(grant, id, frame) {
  const bar = document.createElement("p");
  bar.className = "row remote-images";
  bar.innerHTML = `<span class="muted">Remote images are blocked: loading them tells the sender you opened the message.</span>
    <button type="button" class="secondary">Load remote images for this message</button>`;
  const button = bar.querySelector("button");
  button.addEventListener("click", () => {
    const loaded = bodyFrame();
    loaded.src = `/dashboard/frame/${encodeURIComponent(grant)}/${encodeURIComponent(id)}`;
    frame.replaceWith(loaded);
    bar.querySelector("span").textContent =
      "Remote https: images are shown for this message (no script, no form); the next message starts blocked.";
    button.disabled = true;
    button.textContent = "Remote images loaded for this message";
  });
  return bar;
}

function pre(text) {
  const el = document.createElement("pre");
  el.textContent = text;
  return el;
}
