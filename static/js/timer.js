// Countdown of the current presentation slot on the chair's page and the venue big screen.
// The server renders the seconds left; htmx re-renders them every few seconds, and between
// renders this script counts down, warning at one minute and showing the overrun.
(function () {
  "use strict";

  // Text goes through Django's JavaScript catalogue when the page loads it; without it (offline,
  // or not loaded) the Chinese source text is shown.
  const gettext = window.gettext || function (text) { return text; };

  function show(el) {
    if (!el.dataset.startedAt) {
      el.dataset.startedAt = String(Date.now());
    }
    const base = Number(el.dataset.remaining);
    if (el.dataset.remaining === "" || Number.isNaN(base)) { return; }
    // A page served from the shared cache may be older than its seconds: count to the end.
    const endsAt = Number(el.dataset.endsAt);
    const left = el.dataset.endsAt
      ? Math.floor((endsAt - Date.now()) / 1000)
      : base - Math.floor((Date.now() - Number(el.dataset.startedAt)) / 1000);
    const abs = Math.abs(left);
    const text = Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
    el.textContent = left < 0 ? gettext("超时 +%(time)s").replace("%(time)s", text) : text;
    el.classList.toggle("warning", left >= 0 && left <= 60);
    el.classList.toggle("overrun", left < 0);
  }

  function tick() {
    document.querySelectorAll(".js-countdown").forEach(show);
  }

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
})();
