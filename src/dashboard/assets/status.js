import { api, esc } from "./api.js";

const SAMPLE_MS = 2000;
/** Five minutes of samples, kept while the page is open. */
const KEEP = 150;

/** The charts: a gauge as it reads, a counter as its rate per second between two samples. */
const CHARTS = [
  { id: "http", title: "HTTP requests / s", metric: "agentbox_http_requests_total", rate: true },
  { id: "commits", title: "Store commits / s", metric: "agentbox_store_commits_total", rate: true },
  { id: "webhooks", title: "Webhook attempts / s", metric: "agentbox_webhook_attempts_total", rate: true },
  { id: "imap", title: "IMAP sessions", metric: "agentbox_imap_sessions" },
  { id: "actors", title: "Active mailbox actors", metric: "agentbox_actors_active" },
  { id: "outbound", title: "Outbound in flight", metric: "agentbox_smtp_outbound_in_flight" },
  { id: "rss", title: "Memory (RSS, MB)", metric: "agentbox_process_rss_bytes", scale: 1 / 1048576 },
];

const duration = (s) =>
  s >= 86400
    ? `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`
    : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;

/** Health, versions, listeners, counts, and the key metrics as small charts sampled from /metrics. */
export async function statusView(main) {
  const { data: status } = await api("GET", "/v3/admin/status");
  const v = status.versions;
  main.innerHTML = `<h1>Status</h1>
    <div class="cards" id="cards"></div>
    <h2>Metrics, sampled every ${SAMPLE_MS / 1000} s while this page is open</h2>
    <div class="charts">${CHARTS.map(
      (
        c,
      ) => `<figure class="panel chart"><figcaption>${esc(c.title)} <span class="value" id="now-${c.id}">–</span></figcaption>
        <svg class="spark" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label="${esc(c.title)} over the last minutes"><polyline id="line-${c.id}" points=""></polyline></svg></figure>`,
    ).join("")}</div>
    <div class="split">
      <section class="panel"><h2>Listeners</h2><table aria-label="Listeners"><thead><tr><th>Name</th><th>Protocol</th><th>Address</th><th>Port</th><th>TLS</th></tr></thead><tbody>${status.listeners
        .map(
          (l) =>
            `<tr><td>${esc(l.name)}</td><td>${esc(l.protocol.toUpperCase())}</td><td><code>${esc(l.address)}</code></td><td>${esc(l.port)}</td><td>${esc(l.tls)}</td></tr>`,
        )
        .join("")}</tbody></table></section>
      <section class="panel"><h2>Versions</h2><dl class="fields" aria-label="Versions">
        <dt>agentbox</dt><dd>${esc(v.agentbox)}</dd><dt>Bun</dt><dd>${esc(v.bun)}</dd>
        <dt>SQLite</dt><dd>${esc(v.sqlite)}</dd><dt>Schema</dt><dd>${esc(v.schema)}</dd>
        <dt>Up for</dt><dd>${esc(duration(status.uptime_seconds))}</dd></dl></section>
    </div>`;
  const cards = (health) =>
    [
      ["Health", health],
      ["Accounts", status.counts.accounts],
      ["Domains", status.counts.domains],
      ["Messages", status.counts.messages],
      ["Webhooks", status.counts.webhooks],
      ["Outbound waiting", status.counts.outbound_waiting],
    ]
      .map(
        ([k, value]) =>
          `<div class="panel card"><div class="muted">${esc(k)}</div><div class="value">${esc(value ?? "–")}</div></div>`,
      )
      .join("");
  const series = new Map(CHARTS.map((c) => [c.id, []]));
  let previous = null;
  const tick = async () => {
    if (!main.querySelector("#cards")) return false;
    const [health, text] = await Promise.all([
      fetch("/healthz").then((r) => r.json()),
      fetch("/metrics").then((r) => r.text()),
    ]);
    const sample = { at: performance.now(), values: parseMetrics(text) };
    main.querySelector("#cards").innerHTML = cards(health.status);
    for (const c of CHARTS) {
      const raw = sample.values[c.metric] ?? 0;
      let value = raw * (c.scale ?? 1);
      if (c.rate) {
        if (!previous) continue;
        value = Math.max(0, raw - (previous.values[c.metric] ?? 0)) / ((sample.at - previous.at) / 1000);
      }
      const points = series.get(c.id);
      points.push(value);
      if (points.length > KEEP) points.shift();
      draw(main, c, points);
    }
    previous = sample;
    return true;
  };
  if (await tick()) {
    const timer = setInterval(async () => {
      if (!(await tick().catch(() => false))) clearInterval(timer);
    }, SAMPLE_MS);
  }
}

function draw(main, chart, points) {
  const line = main.querySelector(`#line-${chart.id}`);
  if (!line) return;
  const max = Math.max(...points, 1e-9);
  const x = (i) => (points.length === 1 ? 100 : (i / (KEEP - 1)) * 100);
  line.setAttribute(
    "points",
    points.map((v, i) => `${x(i).toFixed(2)},${(38 - (v / max) * 34).toFixed(2)}`).join(" "),
  );
  const now = points.at(-1);
  main.querySelector(`#now-${chart.id}`).textContent = Number.isInteger(now) ? String(now) : now.toFixed(1);
}

/** Prometheus text: each metric's value, summed over its labels. */
function parseMetrics(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const match = /^(\w+)(?:\{[^}]*\})?\s+([\d.e+-]+)$/.exec(line);
    if (match) out[match[1]] = (out[match[1]] ?? 0) + Number(match[2]);
  }
  return out;
}
