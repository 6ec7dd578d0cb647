/* Peerpath's progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // A form that came back with errors: move focus to its summary, so that a
  // screen reader announces the problems and a keyboard user starts there.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
})();
