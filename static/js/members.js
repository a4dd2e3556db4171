// Members formset: add a row from the <template>, keeping Django's management form in step.
(function () {
  "use strict";
  document.querySelectorAll(".js-add-member").forEach((button) => {
    const table = document.getElementById(button.dataset.target);
    const prefix = table.dataset.prefix;
    const max = parseInt(table.dataset.max || "1000", 10);
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.getElementById("member-template");
    button.addEventListener("click", () => {
      const index = parseInt(total.value, 10);
      if (index >= max) { return; }
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      table.querySelector("tbody").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      button.disabled = index + 1 >= max;
    });
  });
})();
