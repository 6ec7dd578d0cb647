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

  // The main menu folds behind a "Menu" button on a phone. Without this
  // script the button stays hidden and the menu simply wraps.
  function foldMenu() {
    var toggle = document.querySelector(".nav-toggle");
    var menu = document.getElementById("main-nav");
    if (!toggle || !menu) {
      return;
    }
    document.documentElement.classList.add("has-menu-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("nav--open", !open);
    });
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("DOMContentLoaded", foldMenu);
})();
