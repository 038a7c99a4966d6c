/* Review page behaviour: tooltips and pinned details for highlights of targets and of results,
   sorting and filtering of the target table. The page is complete without it (server-rendered text, table and forms);
   this only adds interaction. No dependencies, nothing fetched from elsewhere. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var dataNode = document.getElementById("review-data");
    if (!dataNode) return;
    var data = JSON.parse(dataNode.textContent);
    var details = data.details || {};
    var tooltipKeys = data.tooltip || [];
    // Sentences in the page's language, from the server: `{n}` and `{shown}` are filled in here.
    var messages = data.messages || {};
    function message(key, values) {
      return (messages[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
    }
    var text = document.getElementById("plan-text");
    var tip = document.getElementById("target-tip");
    var panel = document.getElementById("target-details");
    var table = document.getElementById("targets-table");
    var selected = null;

    function markOf(node) {
      return node && node.closest ? node.closest("mark.target, mark.result") : null;
    }

    // A target's mark carries data-target, a result's data-result; both ids key `details`.
    function idOf(node) {
      return node.dataset.target || node.dataset.result;
    }

    function fieldList(target, keys) {
      var dl = document.createElement("dl");
      target.fields.forEach(function (field) {
        if (keys && keys.indexOf(field.key) < 0) return;
        var dt = document.createElement("dt");
        dt.textContent = field.label;
        var dd = document.createElement("dd");
        dd.textContent = field.value;
        if (field.key === "raw" || field.key === "sentence" || field.key === "item" ||
            field.key === "units" || field.key === "leaders" || field.key === "metric") {
          dd.lang = "zh-CN";
        }
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      return dl;
    }

    /* Tooltip: shown on hover and on keyboard focus, hidden on leave, blur or Escape. */
    function showTip(mark) {
      var target = details[idOf(mark)];
      if (!target) return;
      tip.textContent = "";
      tip.appendChild(fieldList(target, tooltipKeys));
      tip.hidden = false;
      var box = mark.getBoundingClientRect();
      var tipBox = tip.getBoundingClientRect();
      var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tipBox.width - 8);
      var top = window.scrollY + box.bottom + 6;
      if (box.bottom + tipBox.height + 12 > window.innerHeight && box.top > tipBox.height + 12) {
        top = window.scrollY + box.top - tipBox.height - 6;
      }
      tip.style.left = Math.max(window.scrollX + 4, left) + "px";
      tip.style.top = top + "px";
      mark.setAttribute("aria-describedby", "target-tip");
    }

    function hideTip(mark) {
      tip.hidden = true;
      if (mark) mark.removeAttribute("aria-describedby");
    }

    /* Details panel: pinned by a click (or Enter/Space) on a highlight or a table row. */
    function select(id, focusMark) {
      var target = details[id];
      if (!target) return;
      if (selected) {
        var oldMark = document.getElementById("mark-" + selected);
        var oldRow = document.getElementById("row-" + selected);
        if (oldMark) oldMark.classList.remove("selected");
        if (oldRow) oldRow.classList.remove("selected");
      }
      selected = id;
      var mark = document.getElementById("mark-" + id);
      var row = document.getElementById("row-" + id);
      if (mark) {
        mark.classList.add("selected");
        if (focusMark) {
          mark.focus({preventScroll: true});
          mark.scrollIntoView({block: "center"});
        }
      }
      if (row) row.classList.add("selected");
      panel.textContent = "";
      var title = document.createElement("p");
      title.className = "details-title";
      var swatch = document.createElement("span");
      swatch.className = target.kind === "result" ? "swatch result-swatch" : "swatch cat-" + target.category;
      swatch.setAttribute("aria-hidden", "true");
      title.appendChild(swatch);
      var strong = document.createElement("strong");
      strong.lang = "zh-CN";
      var raw = target.fields.filter(function (field) { return field.key === "raw"; })[0];
      strong.textContent = raw ? raw.value : id;
      title.appendChild(strong);
      panel.appendChild(title);
      panel.appendChild(fieldList(target, null));
      if (row) {
        var link = document.createElement("a");
        link.href = "#row-" + id;
        link.textContent = message("show_in_table", {});
        panel.appendChild(link);
      }
    }

    if (text) {
      // The script's tooltip replaces the browser's title tooltip (kept for pages without script).
      Array.prototype.forEach.call(text.querySelectorAll("mark.target[title], mark.result[title]"), function (mark) {
        mark.dataset.summary = mark.getAttribute("title");
        mark.removeAttribute("title");
      });
      text.addEventListener("mouseover", function (event) {
        var mark = markOf(event.target);
        if (mark) showTip(mark);
      });
      text.addEventListener("mouseout", function (event) {
        var mark = markOf(event.target);
        if (mark && !mark.contains(event.relatedTarget)) hideTip(mark);
      });
      text.addEventListener("focusin", function (event) {
        var mark = markOf(event.target);
        if (mark) showTip(mark);
      });
      text.addEventListener("focusout", function (event) {
        var mark = markOf(event.target);
        if (mark) hideTip(mark);
      });
      text.addEventListener("click", function (event) {
        var mark = markOf(event.target);
        if (mark) select(idOf(mark), false);
      });
      text.addEventListener("keydown", function (event) {
        var mark = markOf(event.target);
        if (!mark) return;
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          select(idOf(mark), false);
        } else if (event.key === "Escape") {
          hideTip(mark);
        }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !tip.hidden) hideTip(null);
    });

    // A click on a result's row pins it; a click on the target it reports on pins that target.
    var resultsTable = document.getElementById("results-table");
    if (resultsTable) {
      resultsTable.tBodies[0].addEventListener("click", function (event) {
        var link = event.target.closest("a.target-link");
        var row = event.target.closest("tr[data-result]");
        if (!row) return;
        if (link) {
          event.preventDefault();
          select(row.dataset.targetLink, true);
          return;
        }
        if (event.target.closest("a.raw-link")) event.preventDefault();
        select(row.dataset.result, true);
      });
    }

    if (!table) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);

    // A click on a row (or its "as written" link) pins that target and brings its highlight into view.
    tbody.addEventListener("click", function (event) {
      var row = event.target.closest("tr[data-target]");
      if (!row) return;
      if (event.target.closest("a.raw-link")) event.preventDefault();
      select(row.dataset.target, true);
    });

    /* Sorting: one button per column header; aria-sort tells assistive technology the order. */
    var collator = new Intl.Collator(["zh-CN", "en"], {numeric: true});
    var datasetKey = {item: "itemLabel"};
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var button = th.querySelector("button.sort");
      if (!button) return;
      button.addEventListener("click", function () {
        var key = datasetKey[th.dataset.sortKey] || th.dataset.sortKey;
        var numeric = th.dataset.sortType === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sign = ascending ? 1 : -1;
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.dataset[key] || "", y = b.dataset[key] || "";
          // empty cells last whatever the direction, then text order as a tie-break
          if (x === "" || y === "") {
            if (x === y) return Number(a.dataset.position) - Number(b.dataset.position);
            return x === "" ? 1 : -1;
          }
          var order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
          return order !== 0 ? sign * order : Number(a.dataset.position) - Number(b.dataset.position);
        });
        sorted.forEach(function (row) { tbody.appendChild(row); });
      });
    });

    /* Filtering by category and item; highlights of hidden rows are dimmed in the text. */
    var byCategory = document.getElementById("filter-category");
    var byItem = document.getElementById("filter-item");
    var status = document.getElementById("filter-status");
    function applyFilters() {
      var category = byCategory.value, item = byItem.value, shown = 0;
      rows.forEach(function (row) {
        var visible = (!category || row.dataset.category === category) && (!item || row.dataset.item === item);
        row.hidden = !visible;
        if (visible) shown += 1;
        var mark = document.getElementById("mark-" + row.dataset.target);
        if (mark) mark.classList.toggle("dimmed", !visible);
      });
      status.textContent = shown === rows.length
        ? message("showing_all", {n: rows.length})
        : message("showing_some", {shown: shown, n: rows.length});
    }
    if (byCategory) byCategory.addEventListener("change", applyFilters);
    if (byItem) byItem.addEventListener("change", applyFilters);
  });
})();
