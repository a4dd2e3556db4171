// Public schedule: filter the running orders as the visitor types (the form still works without it).
(() => {
  const input = document.getElementById("schedule-q");
  const board = document.getElementById("schedule-board");
  if (!input || !board) return;
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    board.querySelectorAll(".schedule-entry").forEach((item) => {
      const text = (item.dataset.search || "").toLowerCase();
      item.hidden = needle !== "" && !text.includes(needle);
    });
  });
})();
