// マイページ: move focus to the error summary (role=alert) so that screen readers and keyboard users
// land on it after a refused form. A static file: the Content-Security-Policy forbids inline script.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
