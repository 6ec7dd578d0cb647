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

  // Part of a form that applies only to some answers of a radio group:
  //   <div data-shown-for="kind:contact">            (one answer)
  //   <div data-shown-for="consent:audio_only video"> (either answer)
  // It is hidden while another answer is chosen, and its fields are emptied,
  // so that what does not apply is not sent; their values stay in the page
  // and come back if the answer changes back. Without this script every part
  // stays in view and the server ignores what does not apply (the check-in
  // form's attempt, the status form's mentor).
  function emptyFields(part) {
    var kept = [];
    part.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        kept.push([input, input.checked]);
        input.checked = false;
      } else if (input.type !== "hidden" && input.type !== "button" && input.type !== "submit") {
        kept.push([input, input.value]);
        input.value = "";
      }
    });
    return kept;
  }

  function restoreFields(kept) {
    kept.forEach(function (entry) {
      var input = entry[0];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = entry[1];
      } else {
        input.value = entry[1];
      }
    });
  }

  function showOnlyFor(part) {
    var form = part.closest("form");
    var rule = part.getAttribute("data-shown-for").split(":");
    var name = rule[0];
    var values = rule[1].split(" ");
    var radios = form ? form.querySelectorAll('input[type="radio"][name="' + name + '"]') : [];
    var kept = null;

    function update() {
      var chosen = form.querySelector('input[type="radio"][name="' + name + '"]:checked');
      var applies = chosen === null ? values.indexOf("") !== -1 : values.indexOf(chosen.value) !== -1;
      if (!applies && kept === null) {
        kept = emptyFields(part);
        part.hidden = true;
      } else if (applies && kept !== null) {
        restoreFields(kept);
        kept = null;
        part.hidden = false;
      }
    }

    if (radios.length === 0) {
      return; // nothing to follow: the part stays in view
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
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
    document.querySelectorAll("[data-shown-for]").forEach(showOnlyFor);
  });
})();
