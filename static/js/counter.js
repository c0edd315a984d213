/* The circulation counter (templates/loans/_counter_base.html), with htmx and htmx_session.js. */
(function () {
  "use strict";
  // The scan field is emptied as soon as its value has been sent, so the next scan starts clean.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "scan-form") {
      form.querySelectorAll("[data-clear]").forEach(function (field) {
        if (field.type === "checkbox") { field.checked = false; } else { field.value = ""; }
      });
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var input = document.querySelector("#scan-form [name=scan]");
    if (input) { input.focus(); }
  });
  document.body.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("connection-error");
    if (box) { box.hidden = false; }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("connection-error");
    if (box && event.detail.successful !== undefined && event.detail.xhr && event.detail.xhr.status) { box.hidden = true; }
  });
})();
