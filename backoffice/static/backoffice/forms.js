// Forms and tables on a phone. The error summary at the top of a form (GOV.UK / NL Design
// System pattern) gets the focus when the page comes back with errors, and its links move
// the focus to the field, with the field's label in view. Tables get their column names on
// every cell, so buurtkas.css can show each row as a card. A static file: the
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  // Tables become cards on a phone (buurtkas.css): every cell gets its column's name.
  function labelTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead tr:first-child th");
      if (!heads.length) {
        return;
      }
      var names = [];
      Array.prototype.forEach.call(heads, function (th) {
        var span = th.colSpan || 1;
        for (var i = 0; i < span; i += 1) {
          names.push(th.textContent.trim());
        }
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
      table.setAttribute("data-cards", "");
    });
  }

  function ready() {
    labelTables(document);
    focusSummary();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    labelTables(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
