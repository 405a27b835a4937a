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

  // Large estates: the applications come as one JSON block (table_data.py) and are shown a
  // page at a time. Sort and filter work on arrays of keys, never on 100,000 DOM rows.
  var APP = { name: 0, decision: 1, strategy: 2, confidence: 3, confidenceRank: 4, wave: 5,
    criticality: 6, owner: 7, servers: 8, targets: 9, reasons: 10, blockers: 11, conflicts: 12,
    override: 13 };
  var NO_WAVE = 999999;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[ch];
    });
  }

  // Thousands separators by hand: Number.toLocaleString costs ~20 µs a call, seconds at 100k.
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function plural(n, word) { return grouped(n) + " " + (n === 1 ? word : word + "s"); }

  function scriptedTable(table, data) {
    var S = data.strings;
    var rows = data.rows;
    var total = rows.length;
    var size = data.page;
    var multi = data.clouds.length > 1;
    var body = table.tBodies[0];
    var pager = document.getElementById("apps-pager");
    var status = document.getElementById("apps-page");
    var order = rows.map(function (_, i) { return i; });
    var shown = null; // Uint8Array of rows the filter keeps, or null for all
    var view = order;
    var page = 0;
    var texts = null;
    var keys = {};

    function list(indices, cls, prefix) {
      if (!indices.length) { return ""; }
      return "<ul class=\"" + cls + "\">" + indices.map(function (i) {
        return "<li>" + prefix + escapeHtml(S[i]) + "</li>";
      }).join("") + "</ul>";
    }

    function rowHtml(r) {
      var d = r[APP.decision];
      var wave = r[APP.wave];
      var owner = S[r[APP.owner]];
      var override = S[r[APP.override]];
      var name = escapeHtml(r[APP.name]);
      var targets = r[APP.targets].map(function (t, i) {
        return "<div>" + (multi ? "<b>" + escapeHtml(data.clouds[i]) + "</b>" : "") + escapeHtml(S[t]) + "</div>";
      }).join("");
      return "<tr data-decision=\"" + d + "\" data-wave=\"" + (wave === null ? "none" : wave) +
        "\" data-blockers=\"" + (r[APP.blockers].length ? "yes" : "no") + "\">" +
        "<td data-value=\"" + name + "\"><strong>" + name + "</strong><div class=\"small note\">" +
        escapeHtml(S[r[APP.criticality]]) + (owner ? " · " + escapeHtml(owner) : "") + " · " +
        plural(r[APP.servers], "server") + "</div></td>" +
        "<td data-value=\"" + data.decisions[d][1] + "\"><span class=\"badge " + d + "\">" +
        escapeHtml(data.decisions[d][0]) + "</span>" +
        (override ? "<br><span class=\"tag\" title=\"" + escapeHtml(override) + "\">override</span>" : "") + "</td>" +
        "<td>" + escapeHtml(S[r[APP.strategy]]) + "</td>" +
        "<td class=\"targets\">" + targets + "</td>" +
        "<td data-value=\"" + r[APP.confidenceRank] + "\">" + escapeHtml(S[r[APP.confidence]]) + "</td>" +
        "<td class=\"num\" data-value=\"" + (wave === null ? NO_WAVE : wave) + "\">" + (wave === null ? "–" : wave) + "</td>" +
        "<td class=\"small\">" + list(r[APP.reasons], "cell", "") + list(r[APP.blockers], "cell blockers", "") +
        list(r[APP.conflicts], "cell", "<em>conflict:</em> ") +
        (override ? "<div class=\"note\"><em>override:</em> " + escapeHtml(override) + "</div>" : "") +
        "</td></tr>";
    }

    function render() {
      var pages = Math.max(1, Math.ceil(view.length / size));
      page = Math.min(Math.max(page, 0), pages - 1);
      var start = page * size;
      var end = Math.min(start + size, view.length);
      var html = [];
      for (var i = start; i < end; i += 1) { html.push(rowHtml(rows[view[i]])); }
      body.innerHTML = html.join("");
      status.textContent = view.length ? "Page " + grouped(page + 1) + " of " + grouped(pages) +
        " · rows " + grouped(start + 1) + "–" + grouped(end) : "No application matches";
      Array.prototype.forEach.call(pager.querySelectorAll("button"), function (b) {
        var move = b.getAttribute("data-page");
        b.disabled = (move === "first" || move === "prev") ? page === 0 : page >= pages - 1;
      });
    }

    function key(column) {
      // Each column's keys are worked out once, the first time it is sorted.
      if (keys[column]) { return keys[column]; }
      var out;
      if (column === 0) {
        out = rows.map(function (r) { return r[APP.name].toLowerCase(); });
      } else if (column === 2) {
        var lower = S.map(function (t) { return t.toLowerCase(); });
        out = rows.map(function (r) { return lower[r[APP.strategy]]; });
      } else {
        out = new Float64Array(total);
        rows.forEach(function (r, i) {
          out[i] = column === 1 ? data.decisions[r[APP.decision]][1]
            : column === 4 ? r[APP.confidenceRank]
            : r[APP.wave] === null ? NO_WAVE : r[APP.wave];
        });
      }
      keys[column] = out;
      return out;
    }

    function refilter() {
      view = shown ? order.filter(function (i) { return shown[i] === 1; }) : order;
    }

    function searchText(r) {
      var d = r[APP.decision];
      var override = S[r[APP.override]];
      var parts = [r[APP.name], S[r[APP.criticality]], S[r[APP.owner]], plural(r[APP.servers], "server"),
        data.decisions[d][0], override ? "override" : "", S[r[APP.strategy]]];
      r[APP.targets].forEach(function (t, i) { parts.push((multi ? data.clouds[i] : "") + S[t]); });
      parts.push(S[r[APP.confidence]], r[APP.wave] === null ? "–" : String(r[APP.wave]));
      r[APP.reasons].forEach(function (i) { parts.push(S[i]); });
      r[APP.blockers].forEach(function (i) { parts.push(S[i]); });
      r[APP.conflicts].forEach(function (i) { parts.push("conflict: " + S[i]); });
      if (override) { parts.push("override: " + override); }
      // toLowerCase, not toLocaleLowerCase: the same for English text, and far faster.
      return parts.join(" ").toLowerCase();
    }

    pager.hidden = false;
    var more = document.getElementById("apps-more");
    if (more) { more.hidden = true; }
    Array.prototype.forEach.call(pager.querySelectorAll("button"), function (b) {
      b.addEventListener("click", function () {
        var move = b.getAttribute("data-page");
        page = move === "first" ? 0 : move === "prev" ? page - 1 : move === "next" ? page + 1 : Infinity;
        if (page === Infinity) { page = Math.ceil(view.length / size) - 1; }
        render();
      });
    });
    render();

    return {
      total: total,
      sort: function (column, ascending) {
        var k = key(column);
        order.sort(ascending
          ? function (a, b) { return k[a] < k[b] ? -1 : k[a] > k[b] ? 1 : 0; }
          : function (a, b) { return k[a] < k[b] ? 1 : k[a] > k[b] ? -1 : 0; });
        refilter();
        page = 0;
        render();
      },
      filter: function (words, decision, wave, blockers) {
        if (words.length && !texts) { texts = rows.map(searchText); }
        var count = 0;
        if (!words.length && !decision && !wave && !blockers) {
          shown = null;
          count = total;
        } else {
          shown = new Uint8Array(total);
          for (var i = 0; i < total; i += 1) {
            var r = rows[i];
            var ok = (!decision || r[APP.decision] === decision) &&
              (!wave || (r[APP.wave] === null ? "none" : String(r[APP.wave])) === wave) &&
              (!blockers || r[APP.blockers].length > 0);
            for (var w = 0; ok && w < words.length; w += 1) { ok = texts[i].indexOf(words[w]) !== -1; }
            if (ok) { shown[i] = 1; count += 1; }
          }
        }
        refilter();
        page = 0;
        render();
        return count;
      }
    };
  }

  var table = document.getElementById("apps-table");
  var block = document.getElementById("apps-data");
  var scripted = table && block ? scriptedTable(table, JSON.parse(block.textContent)) : null;

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (each) {
    var sort = function (header) {
      if (scripted && each === table) {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        scripted.sort(Array.prototype.indexOf.call(header.parentNode.children, header), ascending);
        Array.prototype.forEach.call(each.querySelectorAll("th.sortable"), function (th) {
          th.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      } else {
        sortTable(each, header);
      }
    };
    Array.prototype.forEach.call(each.querySelectorAll("th.sortable"), function (header) {
      header.tabIndex = 0;
      header.addEventListener("click", function () { sort(header); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(header); }
      });
    });
  });

  if (table) {
    var search = document.getElementById("filter-text");
    var decision = document.getElementById("filter-decision");
    var wave = document.getElementById("filter-wave");
    var blockers = document.getElementById("filter-blockers");
    var count = document.getElementById("filter-count");
    var total = scripted ? scripted.total : table.tBodies[0].rows.length;
    var apply = function () {
      var words = search.value.toLocaleLowerCase("en-GB").split(/\s+/).filter(Boolean);
      var shown = 0;
      if (scripted) {
        shown = scripted.filter(words, decision.value, wave.value, blockers.checked);
      } else {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var text = row.textContent.toLocaleLowerCase("en-GB");
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
            (!decision.value || row.getAttribute("data-decision") === decision.value) &&
            (!wave.value || row.getAttribute("data-wave") === wave.value) &&
            (!blockers.checked || row.getAttribute("data-blockers") === "yes");
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
      }
      count.textContent = shown === total ? "All " + total + " applications" : shown + " of " + total + " applications";
    };
    [search, decision, wave].forEach(function (el) { el.addEventListener("input", apply); });
    [decision, wave, blockers].forEach(function (el) { el.addEventListener("change", apply); });
    if (!scripted) { apply(); }
    if (window.performance && performance.mark) { performance.mark("forcelift:apps-table"); }
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
