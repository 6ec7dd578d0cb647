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

  // The check-in form: "No, I tried" (an attempt) records how and when only,
  // so the contact fields ([data-contact-only]) are hidden and emptied. Their
  // values are kept in the page, and come back if "Yes, we talked" is chosen
  // again. Without this script the server ignores them for an attempt.
  function clearField(input, saved) {
    if (input.type === "checkbox" || input.type === "radio") {
      saved.push([input, input.checked]);
      input.checked = false;
    } else if (input.type !== "hidden" && input.type !== "button" && input.type !== "submit") {
      saved.push([input, input.value]);
      input.value = "";
    }
  }

  function restoreFields(saved) {
    saved.forEach(function (entry) {
      var input = entry[0];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = entry[1];
      } else {
        input.value = entry[1];
      }
    });
  }

  function enhanceCheckinKind(form) {
    var kinds = form.querySelectorAll("input[data-checkin-kind]");
    var sections = form.querySelectorAll("[data-contact-only]");
    var saved = [];
    var hidden = false;

    function update() {
      var chosen = form.querySelector("input[data-checkin-kind]:checked");
      var attempt = chosen !== null && chosen.value === "attempt";
      if (attempt === hidden) {
        return;
      }
      hidden = attempt;
      if (attempt) {
        saved = [];
      }
      sections.forEach(function (section) {
        section.hidden = attempt;
        if (attempt) {
          section.querySelectorAll("input, select, textarea").forEach(function (input) {
            clearField(input, saved);
          });
        }
      });
      if (!attempt) {
        restoreFields(saved);
        saved = [];
      }
    }

    kinds.forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  }

  function enhanceCheckinForms() {
    var forms = [];
    document.querySelectorAll("input[data-checkin-kind]").forEach(function (input) {
      if (input.form && forms.indexOf(input.form) === -1) {
        forms.push(input.form);
      }
    });
    forms.forEach(enhanceCheckinKind);
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

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    foldMenu();
    enhanceCheckinForms();
  });
})();
