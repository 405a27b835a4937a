(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? Number.POSITIVE_INFINITY : n;
    }
    return raw.toLocaleLowerCase("en-GB");
  }

  function sortTable(table, header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var type = header.getAttribute("data-type") || "text";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    // Each row's key is read once, not in every comparison. Ties keep their current order.
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      return { key: cellValue(row, index, type), order: i, row: row };
    });
    keyed.sort(function (a, b) {
      var result = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      if (result === 0) { return a.order - b.order; }
      return ascending ? result : -result;
    });
    // Reorder off the document: with zebra rows (nth-child) every move in place restyles all
    // the rows after it, which made a 24,000-row table take over 30 s to sort.
    var parent = body.parentNode;
    var next = body.nextSibling;
    parent.removeChild(body);
    keyed.forEach(function (item) { body.appendChild(item.row); });
    parent.insertBefore(body, next);
    Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (header) {
      header.tabIndex = 0;
      header.addEventListener("click", function () { sortTable(table, header); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortTable(table, header); }
      });
    });
  });

  var table = document.getElementById("apps-table");
  if (table) {
    var search = document.getElementById("filter-text");
    var decision = document.getElementById("filter-decision");
    var wave = document.getElementById("filter-wave");
    var blockers = document.getElementById("filter-blockers");
    var count = document.getElementById("filter-count");
    var total = table.tBodies[0].rows.length;
    var apply = function () {
      var words = search.value.toLocaleLowerCase("en-GB").split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLocaleLowerCase("en-GB");
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
          (!decision.value || row.getAttribute("data-decision") === decision.value) &&
          (!wave.value || row.getAttribute("data-wave") === wave.value) &&
          (!blockers.checked || row.getAttribute("data-blockers") === "yes");
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown === total ? "All " + total + " applications" : shown + " of " + total + " applications";
    };
    [search, decision, wave].forEach(function (el) { el.addEventListener("input", apply); });
    [decision, wave, blockers].forEach(function (el) { el.addEventListener("change", apply); });
    apply();
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
