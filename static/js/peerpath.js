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

  // A data table becomes one card per row on a phone (static/css:
  // table.table--stack): each cell is labelled with its column's header, read
  // here from the table's own <thead>, so no template repeats its headers.
  // A cell that has its own label (data-label) keeps it, and so does a cell
  // across several columns (an empty list's message). A table marked
  // data-no-stack stays a table. Without this script a wide table scrolls
  // inside its region (.table-wrap), never the page.
  function columnLabels(table) {
    var head = table.tHead;
    var labels = [];
    if (!head || head.rows.length === 0) {
      return labels;
    }
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) {
        labels.push(text);
      }
    });
    return labels;
  }

  function stackTable(table) {
    var labels = columnLabels(table);
    if (labels.length === 0 || table.hasAttribute("data-no-stack")) {
      return;
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += span;
        });
      });
    });
    table.classList.add("table--stack");
  }

  function stackTables(root) {
    if (root.matches && root.matches("table")) {
      stackTable(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("table").forEach(stackTable);
    }
  }

  // The idle sign-out (accounts.middleware.IdleSessionTimeoutMiddleware): a
  // warning before it with "Stay signed in", and when the time is up the page
  // that says the session ended. The session's clock decides: the page says
  // how many seconds it has left (data-idle-remaining on <body>), and the
  // response to "Stay signed in" or to any htmx request (the bell's poll too)
  // says it again, so another tab's activity counts here as well.
  var IDLE_HEADER = "X-Peerpath-Idle-Remaining";

  function idleWarning() {
    var body = document.body;
    var dialog = document.getElementById("idle-warning");
    var remaining = parseInt(body.getAttribute("data-idle-remaining"), 10);
    var timeout = parseInt(body.getAttribute("data-idle-timeout"), 10);
    var lead = parseInt(body.getAttribute("data-idle-warning"), 10);
    if (!dialog || typeof dialog.showModal !== "function" || isNaN(remaining) ||
        isNaN(timeout) || isNaN(lead)) {
      return;
    }
    var form = dialog.querySelector("form[data-keepalive]");
    var stay = form.querySelector("button[type=submit]");
    var warnTimer = null;
    var endTimer = null;
    var returnFocus = null;

    function signedOut() {
      var here = window.location.pathname + window.location.search;
      window.location.assign(
        dialog.getAttribute("data-expired-url") + "?next=" + encodeURIComponent(here)
      );
    }

    function warn() {
      if (dialog.open) {
        return;
      }
      returnFocus = document.activeElement;
      dialog.showModal();
      stay.focus();
    }

    function dismiss() {
      if (!dialog.open) {
        return;
      }
      dialog.close();
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
    }

    // Warn `lead` seconds before the end; go a second after it, when the
    // server has ended the session (it still holds at the last second).
    function schedule(secondsLeft) {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      if (secondsLeft > lead) {
        dismiss();
      }
      warnTimer = window.setTimeout(warn, Math.max(0, secondsLeft - lead) * 1000);
      endTimer = window.setTimeout(signedOut, (secondsLeft + 1) * 1000);
    }

    function heard(value) {
      var seconds = parseInt(value, 10);
      if (!isNaN(seconds)) {
        schedule(seconds);
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual"
      }).then(function (response) {
        if (response.status === 204) {
          heard(response.headers.get(IDLE_HEADER) || String(timeout));
        } else {
          signedOut(); // the session had ended already
        }
      }, function () {
        // Offline: the warning stays and the clock runs on.
      });
    });
    // Escape says the person is here, as the button does.
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      stay.click();
    });
    body.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail && event.detail.xhr;
      if (xhr) {
        heard(xhr.getResponseHeader(IDLE_HEADER));
      }
    });
    schedule(remaining);
  }

  // A create form's one-time token (core.once). Browsers put back on Back
  // what was typed into a form, but never a hidden token: the page comes with
  // a new one, and the second Save would make a second record. So the token
  // sent is kept for the tab (sessionStorage), and a page reached by Back or
  // Forward sends it again: the server answers with the first record.
  function keepOnceTokens() {
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    var cameBack = entries.length > 0 && entries[0].type === "back_forward";
    document.querySelectorAll('input[name="once_token"]').forEach(function (input, index) {
      var form = input.form;
      if (!form) {
        return;
      }
      var key = "once:" + window.location.pathname + ":" +
        (form.getAttribute("action") || String(index));
      try {
        var sent = window.sessionStorage.getItem(key);
        if (cameBack && sent) {
          input.value = sent;
        }
        form.addEventListener("submit", function () {
          window.sessionStorage.setItem(key, input.value);
        });
      } catch (error) {
        // Storage refused (a private window's limit): the token stays as sent.
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepOnceTokens();
    focusErrorSummary();
    foldMenu();
    stackTables(document);
    document.querySelectorAll("[data-shown-for]").forEach(showOnlyFor);
    idleWarning();
    // A table that htmx swaps in (a filtered list, a new invitation) too.
    document.body.addEventListener("htmx:load", function (event) {
      stackTables(event.detail.elt);
    });
  });
})();
