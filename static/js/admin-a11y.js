// Accessible names the admin's own widgets do not give (axe, WCAG 2.2 AA):
// - the autocomplete boxes (select2) get the name of their field's label, their search box too, and
//   their list of chosen items is not announced as a list holding non-items;
// - a file field in a fieldset is named by its legend;
// - the fields of a table of rows (inlines, a list's editable columns) are named by their column
//   header, with the row's name when the list has one.
(function () {
  "use strict";

  function labelText(select) {
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    if (label) return label.textContent.replace(/[:：]\s*$/, "").trim();
    return columnName(select);
  }

  function columnName(field) {
    const cell = field.closest("td, th");
    const table = field.closest("table");
    if (!cell || !table) return "";
    const index = Array.prototype.indexOf.call(cell.parentElement.children, cell);
    const header = table.querySelector("thead tr");
    if (!header) return "";
    let at = 0;
    for (const th of header.children) {
      const span = th.colSpan || 1;
      if (index >= at && index < at + span) return th.textContent.trim();
      at += span;
    }
    return "";
  }

  function rowName(field) {
    const row = field.closest("tr");
    if (!row) return "";
    const head = row.querySelector("th, td.original p, td.field-__str__");
    return head ? head.textContent.trim() : "";
  }

  function nameSelect2(container) {
    const select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    const name = labelText(select);
    if (!name) return;
    container.querySelectorAll('[role="combobox"], .select2-selection, .select2-selection__rendered[role="textbox"]').forEach(function (box) {
      if (box.getAttribute("aria-label") !== name) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
      }
    });
    container.querySelectorAll(".select2-search__field").forEach(function (input) {
      if (!input.getAttribute("aria-label")) input.setAttribute("aria-label", name + "（検索）");
    });
    container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      if (list.getAttribute("role") !== "presentation") list.setAttribute("role", "presentation");
    });
  }

  function nameTableFields(root) {
    root.querySelectorAll("table input:not([type=hidden]), table select, table textarea").forEach(function (field) {
      if (field.labels && field.labels.length) return;
      if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) return;
      let name = columnName(field);
      if (/-DELETE$/.test(field.name || "")) name = "削除";
      if (!name) return;
      const row = rowName(field);
      field.setAttribute("aria-label", row && row !== name ? name + "（" + row + "）" : name);
    });
  }

  // A file field (and its 「クリア」 box) sits in a <fieldset> whose <legend> names it, without a <label>
  // of its own: the field takes the legend's words as its name.
  function nameFieldsetFields(root) {
    root.querySelectorAll(".form-row fieldset").forEach(function (fieldset) {
      const legend = fieldset.querySelector("legend");
      if (!legend) return;
      const name = legend.textContent.replace(/[:：]\s*$/, "").trim();
      fieldset.querySelectorAll("input:not([type=hidden])").forEach(function (field) {
        if (field.labels && field.labels.length) return;
        if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) return;
        field.setAttribute("aria-label", name);
      });
    });
  }

  function fix(root) {
    root.querySelectorAll(".select2-container").forEach(nameSelect2);
    nameTableFields(root);
    nameFieldsetFields(root);
  }

  function start() {
    fix(document);
    // Setting attributes adds no child, so fixing within the callback never calls it again.
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
