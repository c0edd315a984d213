/* Pages that use htmx: a session that timed out answers a request with the login page — go there
   instead of showing it inside the page. Loaded after htmx.min.js, at the end of <body>. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (url && url.indexOf("/accounts/login") !== -1) {
      event.detail.shouldSwap = false;
      window.location.href = url;
    }
  });
})();
