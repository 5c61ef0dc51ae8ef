// allot's dashboard works without this script. With it, the viewer's time
// zone is remembered so that dates are shown in it, destructive actions ask
// for confirmation, a file too large is refused before it is sent, a page
// that waits for a job updates in place instead of reloading, and the
// subject of a support request shows the help centre's articles about it.
(function () {
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("tz=" + encodeURIComponent(tz)) < 0) {
      document.cookie = "tz=" + encodeURIComponent(tz) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) {}
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
    var input = event.target.querySelector("input[type=file][data-max-bytes]");
    if (input && input.files.length && input.files[0].size > Number(input.getAttribute("data-max-bytes"))) {
      event.preventDefault();
      input.setCustomValidity(input.getAttribute("data-too-large"));
      input.reportValidity();
    }
  });
  // A part marked data-refresh shows a job's progress: fetch the page again
  // each second and swap the part in, until the job is done.
  var progress = document.querySelector("[data-refresh]");
  function poll() {
    fetch(location.href, { credentials: "same-origin" }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh]");
      if (!next) {
        location.reload();
        return;
      }
      progress.replaceWith(next);
      progress = next;
      setTimeout(poll, 1000);
    }, function () {
      setTimeout(poll, 3000);
    });
  }
  if (progress) {
    setTimeout(poll, 1000);
  }
  // A field marked data-suggest shows what the help centre suggests for
  // what is typed in it, in the live region it names in aria-controls.
  var suggestTimer;
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("input[data-suggest]")) {
      return;
    }
    var into = document.getElementById(field.getAttribute("aria-controls"));
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(function () {
      var q = field.value.trim();
      if (!into || q.length < 3) {
        return;
      }
      fetch(field.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      }).then(function (html) {
        if (field.value.trim() === q) {
          into.innerHTML = html;
        }
      }, function () {});
    }, 250);
  });
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (all.type === "file") {
      all.setCustomValidity("");
    }
    if (all.matches && all.matches("input[data-select-all]")) {
      document.querySelectorAll("input[name='" + all.getAttribute("data-select-all") + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });
})();
