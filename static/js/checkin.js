// The check-in door: keep the code field focused for a USB scanner (it types the code and
// Enter), clear it after each answer, and read QR codes from the tablet's camera with jsQR.
(function () {
  "use strict";
  const form = document.getElementById("checkin-form");
  const input = document.getElementById("code");
  if (!form || !input) return;

  const door = document.getElementById("door");
  if (door) {
    door.value = localStorage.getItem("qcx-door") || "";
  }

  function refocus() {
    input.value = "";
    input.focus();
  }
  document.body.addEventListener("htmx:afterSwap", refocus);
  document.body.addEventListener("htmx:responseError", refocus);
  document.addEventListener("click", (event) => {
    if (event.target.closest("select, button, a, video")) return;
    input.focus();
  });

  // Camera: only where the browser offers one and the library is loaded.
  const toggle = document.getElementById("camera-toggle");
  const video = document.getElementById("camera");
  const canvas = document.getElementById("camera-frame");
  if (!toggle || !video || !canvas || !navigator.mediaDevices || typeof jsQR !== "function") {
    return;
  }
  toggle.hidden = false;
  let stream = null;
  let last = "";
  let lastAt = 0;

  function submitCode(code) {
    const now = Date.now();
    if (code === last && now - lastAt < 3000) return; // the same badge still in view
    last = code;
    lastAt = now;
    input.value = code;
    if (window.htmx) {
      window.htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }

  function scan() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) submitCode(found.data.trim());
    }
    window.requestAnimationFrame(scan);
  }

  toggle.addEventListener("click", async () => {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.hidden = true;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      toggle.textContent = toggle.textContent + " ✕";
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    window.requestAnimationFrame(scan);
  });
})();
