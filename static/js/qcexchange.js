// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
    el.form.submit();
  }
});

// Signing out forgets the judge pages this tablet kept for offline use (the service worker's
// caches), so the next user of the tablet never sees them. Cards still waiting to be sent stay.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.classList || !form.classList.contains("js-logout") || !window.caches) { return; }
  event.preventDefault();
  Object.keys(localStorage).filter((key) => key.indexOf("qcx:offline:") === 0)
    .forEach((key) => localStorage.removeItem(key));
  caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.indexOf("qcx-judge-") === 0)
      .map((name) => caches.delete(name))))
    .catch(() => null)
    .then(() => form.submit());
});

// Print links (a chair's lock receipt): no inline handler, which the CSP forbids.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".js-print");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
