import { ApiError, esc, session, setCsrf } from "./api.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");

// Views load when first shown: the sign-in page needs only this module and api.js.
const views = () => import("./views.js");
const mail = () => import("./message.js");
const guardrails = () => import("./resources.js");

/** #/accounts, #/mail/<grant>/<folder>[/<page>], #/message/<grant>/<id>, #/webhooks, #/status, #/<guardrail>[/<id>], #/calendar[/<grant>[/<week>]] */
const routes = [
  [/^#\/accounts$/, async () => (await views()).accountsView(main)],
  [/^#\/mail\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/, async (g, f, p) => (await mail()).mailboxView(main, g, f, p)],
  [/^#\/message\/([^/]+)\/([^/]+)$/, async (g, id) => (await mail()).messageView(main, g, id)],
  [/^#\/domains$/, async () => (await views()).domainsView(main)],
  [/^#\/webhooks$/, async () => (await views()).webhooksView(main)],
  [/^#\/outbound$/, async () => (await views()).outboundView(main)],
  [/^#\/status$/, async () => (await import("./status.js")).statusView(main)],
  [
    /^#\/(policies|rules|lists|workspaces)$/,
    async (kind) => (await guardrails()).resourceListView(main, kind),
  ],
  [
    /^#\/(policies|rules|lists|workspaces)\/([^/]+)$/,
    async (kind, id) => (await guardrails()).resourceView(main, kind, id),
  ],
  [
    /^#\/calendar(?:\/([^/]+))?(?:\/(\d+))?$/,
    async (g, week) => (await import("./calendar.js")).calendarView(main, g, week),
  ],
];

async function render() {
  const hash = location.hash || "#/accounts";
  for (const a of nav.querySelectorAll("a")) {
    if (hash.startsWith(a.getAttribute("href"))) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  for (const [pattern, view] of routes) {
    const match = pattern.exec(hash);
    if (!match) continue;
    try {
      await view(
        ...match.slice(1).map((part) => (part === undefined ? undefined : decodeURIComponent(part))),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return signIn();
      main.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
    }
    return;
  }
  location.hash = "#/accounts";
}

function signIn(message = "") {
  nav.hidden = true;
  main.innerHTML = `<section class="panel" style="max-width:28rem;margin:3rem auto">
    <h1>Sign in</h1>
    <form id="sign-in">
      <label for="api-key">API key</label>
      <input id="api-key" name="api_key" type="password" autocomplete="current-password" required>
      <p class="muted">The operator key is in <code>data/api-key</code>. It is sent once, over this form, never in a URL; the browser keeps only a session cookie.</p>
      <button type="submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert">${esc(message)}</p>
    </form></section>`;
  main.querySelector("#sign-in").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await session("POST", { api_key: main.querySelector("#api-key").value });
      nav.hidden = false;
      await render();
    } catch (err) {
      main.querySelector("#sign-in-error").textContent = err.message;
    }
  });
  main.querySelector("#api-key").focus();
  performance.mark("agentbox-interactive");
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await session("DELETE").catch(() => {});
  setCsrf(null);
  signIn();
});
window.addEventListener("hashchange", () => void render());

try {
  await session("GET");
  nav.hidden = false;
  await render();
} catch {
  signIn();
}
