// The judge's pages offline: register the service worker (static/js/sw.js, served at
// /judge/sw.js), ask it to keep the venue for offline use when the venue page opens online,
// and show in a banner whether the tablet is offline and how many cards wait to be sent.
(function () {
  "use strict";

  const gettext = window.gettext || function (text) { return text; };
  const ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  const interpolate = (text, n) => text.replace("%(n)s", n);
  const PRECACHE_EVERY_MS = 10 * 60 * 1000;

  function waiting(judge) {
    const prefix = "qcx:card:" + judge + ":";
    let n = 0;
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (!key || key.indexOf(prefix) !== 0) { continue; }
      try {
        const record = JSON.parse(localStorage.getItem(key) || "null");
        if (record && record.state === "pending") { n += 1; }
      } catch (e) { /* a damaged record is not a waiting card */ }
    }
    return n;
  }

  function setup() {
    const banner = document.getElementById("offline-banner");
    if (!banner) { return; }
    const stateEl = banner.querySelector(".js-offline-state");
    const queueEl = banner.querySelector(".js-offline-queue");
    const ready = document.getElementById("offline-ready");

    function paint() {
      const offline = !navigator.onLine;
      const n = waiting(banner.dataset.judge);
      stateEl.textContent = offline ? gettext("网络已断开：正在使用本机保存的页面，评分保存在本机。") : "";
      queueEl.textContent = n ? interpolate(ngettext(
        "%(n)s 张评分卡等待发送（联网后自动发送）", "%(n)s 张评分卡等待发送（联网后自动发送）", n), n) : "";
      banner.dataset.waiting = String(n);
      banner.dataset.offline = offline ? "1" : "";
      banner.hidden = !offline && n === 0;
    }
    paint();
    window.addEventListener("online", paint);
    window.addEventListener("offline", paint);
    window.addEventListener("storage", paint);
    document.addEventListener("qcx:queue", paint);
    setInterval(paint, 1000);

    if (!("serviceWorker" in navigator)) { return; }
    const container = navigator.serviceWorker;
    container.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type !== "precached" || !ready) { return; }
      if (data.ok) {
        localStorage.setItem("qcx:offline:" + data.cache, String(Date.now()));
        ready.textContent = interpolate(gettext("本分会场已可离线使用（%(n)s 个成果的评分卡已保存在本机）"), data.entries);
        ready.dataset.state = "ready";
      } else {
        ready.textContent = gettext("离线准备未完成：请保持联网并刷新本页。");
        ready.dataset.state = "failed";
      }
    });
    container.startMessages();
    container.register(banner.dataset.swUrl, { scope: banner.dataset.swScope })
      .then(() => container.ready)
      .then(async (registration) => {
        const manifest = banner.dataset.manifestUrl;
        if (!manifest || !ready || !navigator.onLine) { return; }
        const cache = banner.dataset.cache;
        const last = Number(localStorage.getItem("qcx:offline:" + cache) || 0);
        if (Date.now() - last < PRECACHE_EVERY_MS && await caches.has(cache)) {
          ready.textContent = gettext("本分会场已可离线使用");
          ready.dataset.state = "ready";
          return;
        }
        ready.textContent = gettext("正在保存本分会场的页面，以便离线使用……");
        ready.dataset.state = "saving";
        registration.active.postMessage({ type: "precache", url: manifest });
      })
      .catch(() => {
        // Offline, registering fails on checking for an update; the worker already here serves.
        if (ready && navigator.onLine) { ready.textContent = gettext("此浏览器不能离线使用本页面。"); ready.dataset.state = "unsupported"; }
      });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
