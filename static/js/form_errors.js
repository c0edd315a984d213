/* After a refused form, bring its errors into view (issue 15): the page came back with a form's errors
   perhaps 2,000 px below the top, inside a closed <details>, with the focus on <body>.

   On load: the first error summary (templates/_error_summary.html, [data-error-summary]) — or, for a
   form that has none, the first field marked aria-invalid by Django — is revealed (its <details>
   opened), scrolled into view and focused, so that a screen reader reads it and the keyboard starts
   there. A link in the summary moves the focus to its field. A static file: the Content-Security-Policy
   allows no inline script. */
(function () {
  "use strict";

  function reveal(element) {
    for (var d = element.closest("details"); d; d = d.parentElement ? d.parentElement.closest("details") : null) {
      d.open = true;
    }
  }

  function bringToFocus(element) {
    reveal(element);
    if (!element.hasAttribute("tabindex") && !element.matches("input, select, textarea, button, a[href]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
  }

  function firstError() {
    return document.querySelector("[data-error-summary]") ||
      document.querySelector("form [aria-invalid='true']") ||
      document.querySelector("form .errorlist");
  }

  function onLoad() {
    var target = firstError();
    if (target) { bringToFocus(target); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (field) {
      event.preventDefault();
      bringToFocus(field);
    }
  });

  // A form that htmx swapped in with its errors: the same, for the part that changed (only an error
  // summary — the counter's own results keep the focus on the scan field).
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target instanceof Element ? event.target : null;
    var summary = swapped ? swapped.querySelector("[data-error-summary]") : null;
    if (summary) { bringToFocus(summary); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
})();
