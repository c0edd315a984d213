/* Behaviour the templates ask for with data attributes, so that no page needs an inline script or
   an on*= handler (the Content-Security-Policy allows scripts from this site's static files only).

     <button type="button" data-print>             prints the page
     <form data-confirm="…">                        asks before submitting
     <select data-autosubmit>                       submits its form when changed
     <input data-select-on-focus>                   selects its text when focused (a scanner's
                                                    next number replaces the old one)
*/
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    }
  });
  function selectIfAsked(field) {
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) { field.select(); }
  }
  document.addEventListener("focusin", function (event) { selectIfAsked(event.target); });
  // An autofocus field had the focus before this deferred script ran.
  selectIfAsked(document.activeElement);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });
})();
