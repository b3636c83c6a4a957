import { api, esc } from "./api.js";

const DAY = 86400;

/** Monday 00:00 (local time) of the week holding `date`, in Unix seconds. */
function weekStart(date) {
  const d = new Date(date);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return Math.floor(d.getTime() / 1000);
}

/** An event's start and end in Unix seconds, whatever the shape of its `when`. */
function span(when) {
  if (when.start_time !== undefined) return [when.start_time, when.end_time];
  if (when.time !== undefined) return [when.time, when.time];
  const day = (s) => Math.floor(new Date(`${s}T00:00:00`).getTime() / 1000);
  if (when.date) return [day(when.date), day(when.date) + DAY];
  return [day(when.start_date), day(when.end_date) + DAY];
}

const time = (s) => new Date(s * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const statusBadge = { yes: "active", no: "failed", maybe: "pending", noreply: "pending" };

/**
 * #/calendar[/<grant>[/<week start, Unix s>]]: the account's calendars, a week of events day by
 * day (participants and their answers), create and delete.
 */
export async function calendarView(main, grant, week) {
  if (!grant) {
    const { data } = await api("GET", "/v3/grants?limit=1");
    if (!data.length) {
      main.innerHTML = `<h1>Calendar</h1><p class="muted">No account yet: create one first.</p>`;
      return;
    }
    location.hash = `#/calendar/${encodeURIComponent(data[0].email)}`;
    return;
  }
  const g = `/v3/grants/${encodeURIComponent(grant)}`;
  const start = week ? Number(week) : weekStart(Date.now());
  const end = start + 7 * DAY;
  const [{ data: grants }, { data: calendars }] = await Promise.all([
    api("GET", "/v3/grants?limit=200"),
    api("GET", `${g}/calendars`),
  ]);
  const events = (
    await Promise.all(
      calendars.map((c) =>
        api(
          "GET",
          `${g}/events?calendar_id=${encodeURIComponent(c.id)}&start=${start}&end=${end}&limit=200`,
        ).then((page) => page.data.map((e) => ({ ...e, calendar: c }))),
      ),
    )
  ).flat();
  const link = (s) => `#/calendar/${encodeURIComponent(grant)}/${s}`;
  const days = Array.from({ length: 7 }, (_, i) => start + i * DAY);
  main.innerHTML = `<h1>Calendar</h1>
    <div class="row"><div><label for="cal-account">Account</label><select id="cal-account">${grants
      .map(
        (a) =>
          `<option value="${esc(a.email)}" ${a.email === grant || a.id === grant ? "selected" : ""}>${esc(a.email)}</option>`,
      )
      .join("")}</select></div>
      <p class="muted">Calendars: ${calendars.map((c) => `${esc(c.name)}${c.is_primary ? " (primary)" : ""}`).join(", ")}</p></div>
    <p class="row"><a href="${link(start - 7 * DAY)}">← Previous week</a>
      <strong>Week of ${esc(new Date(start * 1000).toLocaleDateString())}</strong>
      <a href="${link(start + 7 * DAY)}">Next week →</a></p>
    <section class="panel" aria-label="Events of the week">${days
      .map((d) => {
        const today = events
          .filter((e) => {
            const [s, t] = span(e.when);
            return s < d + DAY && Math.max(t, s + 1) > d;
          })
          .sort((a, b) => span(a.when)[0] - span(b.when)[0]);
        return `<h2>${esc(new Date(d * 1000).toLocaleDateString([], { weekday: "long", day: "numeric", month: "short" }))}</h2>
        ${today.length ? `<ul class="agenda">${today.map(eventHtml).join("")}</ul>` : `<p class="muted">Nothing.</p>`}`;
      })
      .join("")}</section>
    <section class="panel"><h2 id="new-event-title">New event</h2>
      <form id="new-event" aria-labelledby="new-event-title">
        <label for="ev-title">Title</label><input id="ev-title" required>
        <label for="ev-calendar">Calendar</label><select id="ev-calendar">${calendars
          .map((c) => `<option value="${esc(c.id)}">${esc(c.name)}</option>`)
          .join("")}</select>
        <div class="row"><div><label for="ev-start">Starts</label><input id="ev-start" type="datetime-local" required></div>
          <div><label for="ev-end">Ends</label><input id="ev-end" type="datetime-local" required></div></div>
        <label for="ev-location">Location</label><input id="ev-location">
        <label for="ev-participants">Participants (addresses, comma-separated)</label><input id="ev-participants">
        <div class="check"><input type="checkbox" id="ev-notify"><label for="ev-notify">Email invitations to the participants</label></div>
        <p><button type="submit">Create event</button></p>
        <p id="event-error" class="error" role="alert"></p>
      </form></section>`;
  main.querySelector("#cal-account").addEventListener("change", (e) => {
    location.hash = `#/calendar/${encodeURIComponent(e.target.value)}`;
  });
  const out = main.querySelector("#event-error");
  main.querySelector("#new-event").addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = (id) => main.querySelector(id).value.trim();
    const seconds = (id) => (value(id) ? Math.floor(new Date(value(id)).getTime() / 1000) : undefined);
    const participants = value("#ev-participants")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)
      .map((email) => ({ email }));
    const calendar = value("#ev-calendar");
    const notify = main.querySelector("#ev-notify").checked;
    try {
      const { data } = await api(
        "POST",
        `${g}/events?calendar_id=${encodeURIComponent(calendar)}&notify_participants=${notify}`,
        {
          title: value("#ev-title"),
          location: value("#ev-location") || undefined,
          when: { start_time: seconds("#ev-start"), end_time: seconds("#ev-end") },
          participants,
        },
      );
      location.hash = link(weekStart(span(data.when)[0] * 1000));
      if (location.hash === link(start)) await calendarView(main, grant, String(start));
    } catch (err) {
      out.textContent = err.message;
    }
  });
  main.querySelector("[aria-label='Events of the week']").addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-delete]");
    if (!button) return;
    const event = events.find((ev) => ev.id === button.dataset.delete);
    if (!event || !confirm(`Delete ${event.title || "this event"}?`)) return;
    try {
      await api(
        "DELETE",
        `${g}/events/${encodeURIComponent(event.id)}?calendar_id=${encodeURIComponent(event.calendar.id)}&notify_participants=false`,
      );
      await calendarView(main, grant, String(start));
    } catch (err) {
      out.textContent = err.message;
    }
  });
}

function eventHtml(e) {
  const [s, t] = span(e.when);
  const allDay = e.when.date || e.when.start_date;
  return `<li class="event${e.status === "cancelled" ? " cancelled" : ""}">
    <div><strong>${esc(allDay ? "All day" : `${time(s)}–${time(t)}`)}</strong> ${esc(e.title || "(no title)")}
      <span class="muted">${esc(e.calendar.name)}${e.location ? ` · ${esc(e.location)}` : ""}</span></div>
    <div class="participants">${(e.participants ?? [])
      .map(
        (p) =>
          `<span>${esc(p.name ? `${p.name} <${p.email}>` : p.email)} <span class="badge ${statusBadge[p.status] ?? "pending"}">${esc(p.status ?? "noreply")}</span></span>`,
      )
      .join(" ")}</div>
    <button type="button" class="danger" data-delete="${esc(e.id)}" aria-label="Delete event ${esc(e.title || e.id)}">Delete</button></li>`;
}
