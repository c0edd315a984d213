/* 002: operators may view but not print or save. Each attempt is logged (outsourcing.print_guard).
   Loaded on a contractor operator's pages only; the endpoint, CSRF token and message come from the
   data attributes of this <script> element (templates/base.html). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var url = script.getAttribute("data-url"), token = script.getAttribute("data-csrf-token");
  var message = script.getAttribute("data-message"), last = 0;
  function report(via) {
    var now = Date.now();
    if (now - last < 2000) { return; }  // one print dialog fires more than one event
    last = now;
    var body = new URLSearchParams();
    body.append("page", window.location.pathname);
    body.append("via", via);
    try {
      fetch(url, {method: "POST", body: body, credentials: "same-origin", keepalive: true,
                  headers: {"X-CSRFToken": token}}).catch(function () {});
    } catch (e) { /* logging must never break the page */ }
  }
  window.addEventListener("beforeprint", function () { report("print"); });
  document.addEventListener("keydown", function (event) {
    var key = (event.key || "").toLowerCase();
    if ((event.ctrlKey || event.metaKey) && (key === "p" || key === "s")) {
      event.preventDefault();
      report(key === "p" ? "print_shortcut" : "save_shortcut");
      window.alert(message);
    }
  });
})();
