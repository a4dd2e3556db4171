// The judge's tablet offline: served at /judge/sw.js (scope /judge/) by
// judging.scoring.views.offline. Pages go network-first and fall back to what this tablet
// keeps; the venue page asks for the venue to be precached (running order, scorecards, score
// sheets, assets). Caches of judge pages are named "qcx-judge-<owner>-<venue>": a page
// answered for another owner, a sign-in page, or a logout drops them.
"use strict";

const ASSETS = "qcx-assets-v1";
const JUDGE = "qcx-judge-";
const OWNER_HEADER = "X-Qcx-Offline-Owner";
const LOGIN_PATH = "/accounts/login/";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("qcx-assets-") && name !== ASSETS) { await caches.delete(name); }
    }
    await self.clients.claim();
  })());
});

async function judgeCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(JUDGE));
}

// Keep only the caches of owner (all judge caches when owner is empty).
async function dropOthers(owner) {
  for (const name of await judgeCaches()) {
    if (!owner || !name.startsWith(JUDGE + owner + "-")) { await caches.delete(name); }
  }
}

// What the network answered says whose pages these are: drop everyone else's.
async function noteOwner(response) {
  const owner = response.headers.get(OWNER_HEADER);
  if (owner) { await dropOthers(owner); }
  else if (response.redirected && new URL(response.url).pathname === LOGIN_PATH) { await dropOthers(""); }
}

async function cacheHolding(request) {
  for (const name of await judgeCaches()) {
    const cache = await caches.open(name);
    if (await cache.match(request, { ignoreVary: true })) { return cache; }
  }
  return null;
}

function usable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function notSaved() {
  const html = "<!doctype html><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
    "<title>离线 · Offline</title><body style=\"font-family:sans-serif;padding:2rem;font-size:1.2rem\">" +
    "<h1 style=\"font-size:1.5rem\">网络已断开</h1><p>此页面未保存在本平板上。请返回分会场页面继续评分；已填写的评分保存在本机，联网后自动发送。</p>" +
    "<p lang=\"en\" style=\"color:#666\">Offline: this page is not kept on this tablet. Go back to the venue page to go on scoring; " +
    "scores typed here are kept on the tablet and sent once online.</p><p><a href=\"/judge/\">评审 · Judging</a></p></body>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// Offline at /judge/ (which redirects to the judge's venue online): the venue page kept here.
async function keptVenue() {
  for (const name of await judgeCaches()) {
    const keys = await (await caches.open(name)).keys();
    const venue = keys.find((request) => /^\/judge\/venues\/\d+\/$/.test(new URL(request.url).pathname));
    if (venue) { return Response.redirect(venue.url, 302); }
  }
  return notSaved();
}

// Network first; a good answer refreshes the copy this tablet keeps (only where one is kept,
// so a venue's cache holds that venue's pages only). Offline: the kept copy.
async function networkFirst(request, fallback) {
  try {
    const response = await fetch(request);
    if (request.mode === "navigate") { await noteOwner(response); }
    if (usable(response)) {
      const cache = await cacheHolding(request);
      if (cache) { await cache.put(request, response.clone()); }
    } else if (response.status >= 500) {
      // The server is failing (restarting, overloaded): the kept copy lets the judge go on.
      const kept = await caches.match(request, { ignoreVary: true });
      if (kept) { return kept; }
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ignoreVary: true });
    if (kept) { return kept; }
    if (fallback) { return fallback(); }
    throw error;
  }
}

// Assets: the kept copy at once, refreshed from the network behind it.
async function staleWhileRevalidate(event) {
  const cache = await caches.open(ASSETS);
  const kept = await cache.match(event.request, { ignoreVary: true });
  const fresh = fetch(event.request).then(async (response) => {
    if (usable(response)) { await cache.put(event.request, response.clone()); }
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => null));
    return kept;
  }
  return fresh;
}

async function networkFirstAsset(request) {
  const cache = await caches.open(ASSETS);
  try {
    const response = await fetch(request);
    if (usable(response)) { await cache.put(request, response.clone()); }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) { return kept; }
    throw error;
  }
}

const KEPT_DATA = [/^\/judge\/venues\/\d+\/order\/$/, /^\/api\/judge\/entries\/\d+\/sheet\/$/];

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    const fallback = url.pathname === "/judge/" ? keptVenue : notSaved;
    event.respondWith(networkFirst(request, fallback));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (url.pathname === "/i18n/js/") {
    event.respondWith(networkFirstAsset(request));
  } else if (KEPT_DATA.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(networkFirst(request, null));
  }
});

async function fetchInto(cache, url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!usable(response)) { return false; }
    await cache.put(url, response);
    return true;
  } catch (error) {
    return false;
  }
}

async function fetchAllInto(cache, urls) {
  let done = 0;
  const queue = urls.slice();
  async function worker() {
    while (queue.length) {
      if (await fetchInto(cache, queue.shift())) { done += 1; }
    }
  }
  await Promise.all([worker(), worker(), worker()]);
  return done;
}

async function precache(manifestUrl) {
  const response = await fetch(manifestUrl, { credentials: "same-origin", cache: "no-store" });
  if (!usable(response)) { return { ok: false }; }
  const manifest = await response.json();
  await dropOthers(manifest.owner);
  const pages = await caches.open(manifest.cache);
  const assets = await caches.open(ASSETS);
  const kept = await fetchAllInto(pages, manifest.pages);
  const keptAssets = await fetchAllInto(assets, manifest.assets);
  return {
    ok: kept === manifest.pages.length && keptAssets === manifest.assets.length,
    cache: manifest.cache, entries: manifest.entries, pages: kept, total: manifest.pages.length,
  };
}

// A card was sent: fetch again the kept pages that show it (a few tries: the server may be
// busy with the other cards the tablet is sending at that moment).
async function refresh(urls) {
  for (const url of urls) {
    const cache = await cacheHolding(new Request(url));
    for (let attempt = 0; cache && attempt < 4; attempt += 1) {
      if (await fetchInto(cache, url)) { break; }
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (message) => { if (event.source) { event.source.postMessage(message); } };
  if (data.type === "precache") {
    event.waitUntil(precache(data.url).then(
      (result) => reply({ type: "precached", ...result }),
      () => reply({ type: "precached", ok: false }),
    ));
  } else if (data.type === "refresh") {
    event.waitUntil(refresh(data.urls || []));
  } else if (data.type === "forget") {
    event.waitUntil(dropOthers("").then(() => reply({ type: "forgotten" })));
  }
});
