// allot's dashboard works without this script. With it, the viewer's time
// zone is remembered so that dates are shown in it, destructive actions ask
// for confirmation, a file too large is refused before it is sent, a page
// that waits for a job updates in place instead of reloading, and the
// subject of a support request shows the help centre's articles about it.
// A page that shows errors puts the focus on the first, and a table wider
// than the screen can be scrolled from the keyboard.
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
  // The first field in error, or else the error of the form as a whole,
  // takes the focus, inside any closed disclosure that holds it. Without
  // this script the errors are still announced: the page's as an alert,
  // each field's by its description.
  var invalid = document.querySelector("main [aria-invalid=true]");
  if (invalid && !invalid.matches("input, select, textarea")) {
    invalid = invalid.querySelector("input, select, textarea") || invalid;
  }
  var first = invalid || document.querySelector("main .error[role=alert]");
  if (first) {
    for (var d = first.closest("details"); d; d = d.parentElement.closest("details")) {
      d.open = true;
    }
    if (!invalid) {
      first.setAttribute("tabindex", "-1");
    }
    first.focus();
  }
  // A table's frame that scrolls sideways takes the focus, so that its
  // hidden columns can be reached with the arrow keys; it is named after
  // the table's caption or the heading above it.
  function scrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) {
        if (wrap.hasAttribute("data-scrolls")) {
          wrap.removeAttribute("data-scrolls");
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
        return;
      }
      if (wrap.hasAttribute("tabindex")) {
        return;
      }
      var caption = wrap.querySelector("caption");
      var heading = caption;
      for (var el = wrap; !heading && el && el !== document.body; el = el.parentElement) {
        for (var prev = el.previousElementSibling; prev && !heading; prev = prev.previousElementSibling) {
          var found = prev.matches("h1, h2, h3") ? [prev] : prev.querySelectorAll("h1, h2, h3");
          heading = found[found.length - 1];
        }
      }
      wrap.setAttribute("data-scrolls", "");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", heading ? heading.textContent.trim() : "Table");
    });
  }
  scrollable();
  window.addEventListener("resize", scrollable);
  // A table that widens after the page loaded (its times made local, a
  // font arrived) may start to scroll without the window changing size.
  if (window.ResizeObserver) {
    var resized = new ResizeObserver(scrollable);
    document.querySelectorAll(".table-wrap > table").forEach(function (table) {
      resized.observe(table);
    });
  }
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
