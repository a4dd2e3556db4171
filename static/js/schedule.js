// Public schedule: filter the running orders as the visitor types (the form still works
// without it), and refresh "now presenting" / "next" of every venue every 30 seconds.
(() => {
  const board = document.getElementById("schedule-board");
  if (!board) return;

  const input = document.getElementById("schedule-q");
  if (input) {
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      board.querySelectorAll(".schedule-entry").forEach((item) => {
        const text = (item.dataset.search || "").toLowerCase();
        item.hidden = needle !== "" && !text.includes(needle);
      });
      board.querySelectorAll(".schedule-pause").forEach((item) => {
        item.hidden = needle !== "";
      });
    });
  }

  const show = (el, entry) => {
    if (!el) return;
    el.hidden = !entry;
    const name = el.querySelector(".js-name");
    if (name) name.textContent = entry ? entry.group : "";
  };

  const refresh = async () => {
    try {
      const response = await fetch(board.dataset.liveUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      Object.entries(data.venues).forEach(([number, live]) => {
        const venue = document.getElementById(`venue-${number}`);
        if (!venue) return;
        show(venue.querySelector(".schedule-now"), live.now);
        show(venue.querySelector(".schedule-next"), live.next);
        venue.querySelectorAll(".schedule-entry").forEach((item) => {
          item.classList.toggle("is-now", !!live.now && item.dataset.code === live.now.code);
        });
      });
    } catch (error) {
      // Offline for a moment: keep what is shown and try again at the next tick.
    }
  };

  if (board.dataset.liveUrl) {
    window.setInterval(refresh, 30000);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) refresh();
    });
  }
})();
