// File uploads with a progress bar (XMLHttpRequest reports upload progress; fetch does not),
// and polling of an Excel import job. Without JavaScript the forms post normally.
(function () {
  "use strict";

  // Text goes through Django's JavaScript catalogue when the page loads it; without it (offline,
  // or not loaded) the Chinese source text is shown.
  const gettext = window.gettext || function (text) { return text; };

  function setBar(bar, percent, text) {
    bar.style.width = percent + "%";
    bar.textContent = text;
  }

  function initUpload(form) {
    const input = form.querySelector("input[type=file]");
    const progress = form.querySelector(".progress");
    const bar = progress.querySelector(".progress-bar");
    const error = form.querySelector(".js-upload-error");
    const maxBytes = parseInt(form.dataset.maxBytes || "0", 10);
    form.addEventListener("submit", (event) => {
      if (!input.files.length) { return; }
      event.preventDefault();
      error.textContent = "";
      const file = input.files[0];
      if (maxBytes && file.size > maxBytes) {
        error.textContent = gettext("文件超过大小上限（%(mb)s MB）").replace("%(mb)s", Math.round(maxBytes / 1048576));
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      progress.classList.remove("d-none");
      setBar(bar, 0, "0%");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) {
          const percent = Math.round((100 * e.loaded) / e.total);
          setBar(bar, percent, percent + "%");
        }
      });
      xhr.addEventListener("load", () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = {}; }
        if (xhr.status === 200 && body.ok) {
          setBar(bar, 100, "100%");
          window.location.reload();
        } else {
          progress.classList.add("d-none");
          error.textContent = body.error || gettext("上传失败（%(status)s）").replace("%(status)s", xhr.status);
        }
      });
      xhr.addEventListener("error", () => {
        progress.classList.add("d-none");
        error.textContent = gettext("网络错误，上传未完成，请重试");
      });
      xhr.send(new FormData(form));
    });
  }

  function initImportJob(box) {
    if (box.dataset.finished === "1") { return; }
    const bar = box.querySelector(".js-bar");
    const state = box.querySelector(".js-state");
    const poll = () => {
      fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then((data) => {
          state.textContent = data.state_label;
          setBar(bar, data.percent, data.done + " / " + data.total);
          if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(() => window.setTimeout(poll, 3000));
    };
    window.setTimeout(poll, 500);
  }

  document.querySelectorAll("form.js-upload").forEach(initUpload);
  document.querySelectorAll(".js-import-job").forEach(initImportJob);
})();
