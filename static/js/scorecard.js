// The judge's scorecard on a tablet: steppers, live total, autosaved drafts and an offline
// queue. Everything typed is kept in localStorage (keyed by card) until the server has it, so a
// reload, a closed tab or a dropped connection loses nothing. Each submit carries a UUID made
// here, so a retried or duplicated request is stored once by the server.
(function () {
  "use strict";

  // Text goes through Django's JavaScript catalogue when the page loads it; without it (offline,
  // or not loaded) the Chinese source text is shown.
  const gettext = window.gettext || function (text) { return text; };
  const ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };

  const PREFIX = "qcx:card:";
  const RETRY_MS = 4000;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function store(key, record) {
    record.updated = Date.now();
    localStorage.setItem(key, JSON.stringify(record));
  }
  function forget(key) { localStorage.removeItem(key); }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Card-Source": "tablet" },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, data: data };
  }

  // ---- the offline queue: every card waiting to be sent, on any page -------------------
  // A card is sent by one sender at a time (a Web Lock per card, shared by every tab of the
  // tablet), which reads the record again inside the lock: the retry timer, the "online" event,
  // the venue page and the scorecard page never send the same card twice at once, and a card
  // keeps the one client_id made when it was first submitted until the server has it.
  const sendingHere = new Set();
  async function withCardLock(key, fn) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("qcx-send:" + key, { ifAvailable: true }, (lock) => (lock ? fn() : null));
    }
    if (sendingHere.has(key)) { return null; }
    sendingHere.add(key);
    try { return await fn(); } finally { sendingHere.delete(key); }
  }

  // Ask the service worker to fetch again the kept pages that show a card just sent.
  function refreshKept(record) {
    const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    const urls = [record.pageUrl, record.venueUrl].filter(Boolean);
    if (worker && urls.length) { worker.postMessage({ type: "refresh", urls: urls }); }
  }

  // Send one waiting card; return the server's answer, or null when nothing was sent.
  function sendRecord(key) {
    return withCardLock(key, async () => {
      const record = load(key);
      if (!record || record.state !== "pending" || !record.submitUrl || !record.clientId) { return null; }
      let result;
      try {
        result = await postJSON(record.submitUrl, {
          submission: record.submission, client_id: record.clientId,
          points: record.points, comment: record.comment || "",
        });
      } catch (e) {
        return null; // offline: keep it queued
      }
      if (result.status === 200 || result.status === 201) {
        forget(key);
        refreshKept(record);
      } else if (result.status === 400 || result.status === 409) {
        record.state = "error";
        record.errors = result.data.errors || [gettext("提交失败")];
        store(key, record);
      }
      // 403 (signed out) and 5xx: keep it queued and try again later.
      document.dispatchEvent(new CustomEvent("qcx:queue"));
      return result;
    });
  }

  let sending = false;
  async function flushQueue(onResult) {
    if (sending) { return; }
    sending = true;
    try {
      const keys = [];
      for (let i = 0; i < localStorage.length; i += 1) {
        const key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) { keys.push(key); }
      }
      for (const key of keys) {
        const result = await sendRecord(key);
        if (result && onResult) { onResult(key, result); }
      }
    } finally {
      sending = false;
    }
  }

  function pendingCount() {
    let n = 0;
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        const r = load(key);
        if (r && r.state === "pending") { n += 1; }
      }
    }
    return n;
  }

  // ---- the venue page: show which cards wait on this tablet -----------------------------
  function venuePage() {
    const status = document.getElementById("sync-status");
    if (!status) { return; }
    function paint() {
      document.querySelectorAll("[data-card-key]").forEach((row) => {
        const record = load(row.dataset.cardKey);
        const badge = row.querySelector(".js-local-state");
        if (!badge) { return; }
        if (record && record.state === "pending") {
          badge.textContent = gettext("等待发送"); badge.className = "badge text-bg-warning js-local-state";
        } else if (record && record.state === "error") {
          badge.textContent = gettext("提交未成功"); badge.className = "badge text-bg-danger js-local-state";
        } else if (record) {
          badge.textContent = gettext("本机草稿"); badge.className = "badge text-bg-info js-local-state";
        } else {
          badge.textContent = ""; badge.className = "badge js-local-state";
        }
      });
      // The offline banner (offline.js) shows the count where the page has one.
      const n = document.getElementById("offline-banner") ? 0 : pendingCount();
      status.textContent = n ? ngettext(
        "%(n)s 张评分卡等待发送（联网后自动发送）", "%(n)s 张评分卡等待发送（联网后自动发送）", n
      ).replace("%(n)s", n) : "";
      status.classList.toggle("waiting", n > 0);
    }
    const tick = () => flushQueue().then(paint);
    paint();
    tick();
    window.addEventListener("online", tick);
    document.addEventListener("htmx:afterSwap", paint);
    setInterval(tick, RETRY_MS);
  }

  // ---- the scorecard ---------------------------------------------------------------------
  function scorecardPage() {
    const form = document.getElementById("scorecard");
    if (!form) { return; }
    const key = form.dataset.cardKey;
    const inputs = Array.from(form.querySelectorAll(".js-points"));
    const comment = form.querySelector("#comment");
    const totalEl = document.getElementById("total");
    const stateEl = document.getElementById("card-state");
    const errorsEl = document.getElementById("card-errors");
    let readonly = form.dataset.readonly === "1";
    let draftTimer = null;

    function dec(text) {
      const t = String(text).trim();
      return /^\d+(\.\d+)?$/.test(t) ? Math.round(parseFloat(t) * 100) : null; // hundredths
    }
    function fmt(hundredths) {
      const s = (hundredths / 100).toFixed(2);
      return s.replace(/\.?0+$/, "") || "0";
    }
    function itemError(input) {
      const v = input.value.trim();
      if (v === "") { return ""; }
      const h = dec(v);
      const max = dec(input.dataset.max);
      const step = dec(input.dataset.step);
      if (h === null) { return gettext("请输入数字"); }
      if (h > max) { return gettext("超出满分 %(max)s").replace("%(max)s", fmt(max)); }
      if (h % step !== 0) { return gettext("须为 %(step)s 的整数倍").replace("%(step)s", fmt(step)); }
      return "";
    }
    function points() {
      const p = {};
      inputs.forEach((input) => { p[input.dataset.code] = input.value.trim(); });
      return p;
    }
    function setState(text, kind) {
      stateEl.textContent = text;
      stateEl.className = "badge fs-6 text-bg-" + (kind || "secondary");
      stateEl.dataset.state = kind || "";
    }
    function refresh() {
      let total = 0;
      inputs.forEach((input) => {
        const message = itemError(input);
        const box = input.closest(".score-item");
        box.querySelector(".js-item-error").textContent = message;
        input.classList.toggle("is-invalid", message !== "");
        const h = dec(input.value);
        if (h !== null && message === "") { total += h; }
        const slider = box.querySelector(".js-slider");
        if (slider && h !== null && message === "") { slider.value = fmt(h); }
      });
      totalEl.textContent = fmt(total);
    }
    function lock(on) {
      readonly = on;
      form.querySelectorAll("input, textarea, button").forEach((el) => {
        if (!el.classList.contains("js-criteria")) { el.disabled = on; }
      });
    }
    function showErrors(list) {
      errorsEl.innerHTML = "";
      (list || []).forEach((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        errorsEl.appendChild(li);
      });
    }
    function keepLocally(state) {
      const record = load(key) || {};
      record.state = state || (record.state === "pending" ? "pending" : "editing");
      record.points = points();
      record.comment = comment.value;
      record.submission = Number(form.dataset.submission);
      record.submitUrl = form.dataset.submitUrl;
      record.pageUrl = form.dataset.pageUrl;
      record.venueUrl = form.dataset.venueUrl;
      store(key, record);
      return record;
    }

    async function saveDraft() {
      const record = load(key);
      if (!record || record.state !== "editing") { return; }
      const valid = {};
      Object.entries(record.points).forEach(([code, value]) => {
        const input = inputs.find((i) => i.dataset.code === code);
        if (value !== "" && input && itemError(input) === "") { valid[code] = value; }
      });
      try {
        const result = await postJSON(form.dataset.draftUrl, { points: valid, comment: record.comment });
        if (result.status === 200) { setState(gettext("草稿已保存"), "info"); }
        else if (result.data.errors) { showErrors(result.data.errors); }
      } catch (e) {
        setState(gettext("草稿已保存在本机"), "secondary");
      }
    }
    function changed() {
      if (readonly) { return; }
      refresh();
      keepLocally("editing");
      setState(gettext("草稿已保存在本机"), "secondary");
      clearTimeout(draftTimer);
      draftTimer = setTimeout(saveDraft, 1500);
    }

    function submitted() {
      forget(key);
      setState(gettext("已提交"), "success");
      showErrors([]);
      lock(true);
    }
    function answered(result) {
      if (result.status === 200 || result.status === 201) {
        submitted();
      } else if (result.status === 400 || result.status === 409) {
        // The card keeps its client_id: the server stored nothing under it.
        const record = load(key);
        if (record) { record.state = "editing"; delete record.errors; store(key, record); }
        lock(false);
        setState(gettext("未提交"), "danger");
        showErrors(result.data.errors || [gettext("提交失败")]);
      } else if (result.status === 403) {
        setState(gettext("等待发送（请重新登录）"), "warning");
      }
    }
    async function send() {
      const record = load(key);
      if (!record || record.state !== "pending") { return; }
      setState(gettext("等待发送"), "warning");
      const result = await sendRecord(key);
      if (result) { answered(result); }
    }

    function submit() {
      refresh();
      const problems = [];
      inputs.forEach((input) => {
        const label = input.getAttribute("aria-label");
        if (input.value.trim() === "") { problems.push(gettext("%(item)s 未打分").replace("%(item)s", label)); }
        else if (itemError(input)) {
          problems.push(gettext("%(item)s：%(problem)s").replace("%(item)s", label).replace("%(problem)s", itemError(input)));
        }
      });
      if (problems.length) { showErrors(problems); return; }
      const record = keepLocally("pending");
      if (!record.clientId) { record.clientId = uuid4(); store(key, record); }
      clearTimeout(draftTimer);
      lock(true);
      document.dispatchEvent(new CustomEvent("qcx:queue"));
      send();
    }

    // Restore what this tablet holds for the card (it is newer than the server's draft).
    const saved = load(key);
    if (saved && form.dataset.status === "submitted") {
      forget(key); // the server has the card already
    } else if (saved) {
      inputs.forEach((input) => {
        if (saved.points && saved.points[input.dataset.code] !== undefined) {
          input.value = saved.points[input.dataset.code];
        }
      });
      if (saved.comment !== undefined) { comment.value = saved.comment; }
    }
    refresh();
    if (readonly) { lock(true); }
    if (saved && saved.state === "pending") { lock(true); send(); }
    if (saved && saved.state === "error") { showErrors(saved.errors); saved.state = "editing"; delete saved.errors; store(key, saved); }

    form.addEventListener("input", (event) => {
      if (event.target.classList.contains("js-slider")) {
        const input = event.target.closest(".score-item").querySelector(".js-points");
        input.value = event.target.value;
      }
      changed();
    });
    form.addEventListener("click", (event) => {
      const stepper = event.target.closest(".js-step");
      if (stepper) {
        const input = stepper.closest(".score-item").querySelector(".js-points");
        const step = dec(input.dataset.step);
        const max = dec(input.dataset.max);
        const now = dec(input.value) === null ? 0 : dec(input.value);
        let next = Math.round(now / step) * step + Number(stepper.dataset.delta) * step;
        // Most marks sit near the top of the range: "+" on an empty item starts from the maximum.
        if (input.value.trim() === "" && Number(stepper.dataset.delta) > 0) { next = max; }
        input.value = fmt(Math.min(max, Math.max(0, next)));
        changed();
        return;
      }
      const criteria = event.target.closest(".js-criteria");
      if (criteria) {
        const box = document.getElementById(criteria.getAttribute("aria-controls"));
        box.hidden = !box.hidden;
        criteria.setAttribute("aria-expanded", String(!box.hidden));
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const button = event.submitter;
      if (button && button.value === "draft") { keepLocally("editing"); saveDraft(); return; }
      submit();
    });
    // This card with its answer on the page; the others this tablet holds in the background.
    const tick = () => send().then(() => flushQueue((other, result) => { if (other === key) { answered(result); } }));
    window.addEventListener("online", tick);
    setInterval(tick, RETRY_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    scorecardPage();
    venuePage();
  });
})();
