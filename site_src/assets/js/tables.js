// Sortable (<div class="tbl sortable">), filterable (input.tbl-filter) and faceted (data-facets="0,2":
// one drop-down per column) tables. Sorting can be reset to the printed order. No dependencies.
(function () {
  "use strict";
  // A column's role is stated once on the wrapper (class n3: column 3 numeric, s3: source lines) or on the cell.
  function role(box, td, i, r) { return box.classList.contains(r.charAt(0) + (i + 1)) || td.classList.contains(r); }
  function key(box, td, i) {
    var s = td.getAttribute("data-sort");
    var t = td.textContent;
    if (s === null && role(box, td, i, "src")) {  // '12', '12-14', 'p3', 'p3~ocr', '52_….pdf:p7'
      var m = /\d+/.exec(t.slice(t.lastIndexOf(":") + 1));
      s = m ? m[0] : "";
    } else if (s === null && role(box, td, i, "num")) { s = t.replace(/[,%\s]/g, ""); }
    if (s !== null && s !== "" && !isNaN(Number(s))) { return { n: Number(s) }; }
    return { t: t.trim() };
  }
  function compare(a, b) {
    if ("n" in a && "n" in b) { return a.n - b.n; }
    if ("n" in a) { return -1; }
    if ("n" in b) { return 1; }
    return a.t.localeCompare(b.t, "zh-Hans-CN", { numeric: true });
  }
  function sortable(box) {
    var table = box.querySelector("table");
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    var ths = table.querySelectorAll("thead th");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "tbl-reset";
    reset.textContent = "恢复原表顺序";
    reset.hidden = true;
    reset.addEventListener("click", function () {
      original.forEach(function (r) { body.appendChild(r); });
      ths.forEach(function (o) { o.removeAttribute("aria-sort"); });
      reset.hidden = true;
    });
    box.insertBefore(reset, box.firstChild);
    ths.forEach(function (th, i) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "点击排序");
      function go() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        ths.forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) { return dir * compare(key(box, a.cells[i], i), key(box, b.cells[i], i)); });
        rows.forEach(function (r) { body.appendChild(r); });
        reset.hidden = false;
      }
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
  }
  function filterable(box) {
    var input = box.querySelector("input.tbl-filter");
    var rows = box.querySelectorAll("tbody tr");
    var heads = box.querySelectorAll("thead th");
    var selects = [];
    (box.getAttribute("data-facets") || "").split(",").filter(Boolean).forEach(function (c) {
      var col = Number(c);
      var values = {};
      rows.forEach(function (r) {
        var cell = r.cells[col];
        if (!cell) { return; }
        cell.textContent.split("、").forEach(function (v) { v = v.trim(); if (v) { values[v] = true; } });
      });
      var sel = document.createElement("select");
      sel.className = "tbl-facet";
      sel.setAttribute("aria-label", "按" + heads[col].textContent + "筛选");
      var all = document.createElement("option");
      all.value = "";
      all.textContent = heads[col].textContent + "：全部";
      sel.appendChild(all);
      Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "zh-Hans-CN", { numeric: true }); })
        .forEach(function (v) {
          var o = document.createElement("option");
          o.value = v;
          o.textContent = v;
          sel.appendChild(o);
        });
      sel.addEventListener("change", apply);
      selects.push({ col: col, el: sel });
      input.parentNode.insertBefore(sel, input.nextSibling);
    });
    function apply() {
      var q = input.value.trim().toLowerCase();
      rows.forEach(function (r) {
        var ok = q === "" || r.textContent.toLowerCase().indexOf(q) >= 0;
        selects.forEach(function (s) {
          var v = s.el.value;
          if (v && r.cells[s.col].textContent.split("、").map(function (x) { return x.trim(); }).indexOf(v) < 0) { ok = false; }
        });
        r.hidden = !ok;
      });
    }
    input.addEventListener("input", apply);
  }
  // "下载 CSV" for every table: its header and rows as shown (UTF-8 with BOM, so Excel/WPS read it).
  function csvButton(box) {
    var table = box.querySelector("table");
    if (!table) { return; }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "tbl-csv";
    b.textContent = "下载 CSV";
    b.addEventListener("click", function () {
      var esc = function (v) { v = v.replace(/\s+/g, " ").trim(); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
      var rows = Array.prototype.map.call(table.rows, function (r) {
        return Array.prototype.map.call(r.cells, function (c) { return esc(c.textContent); }).join(",");
      });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob(["\ufeff" + rows.join("\n")], { type: "text/csv;charset=utf-8" }));
      var cap = table.caption ? table.caption.textContent : document.title.split(" - ")[0];
      a.download = cap.replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 60) + ".csv";
      document.body.appendChild(a); a.click(); a.remove();
    });
    box.appendChild(b);
  }
  function scrollHint(box) {
    var sc = box.querySelector(".tbl-scroll");
    if (!sc) { return; }
    function update() { box.classList.toggle("can-scroll", sc.scrollWidth > sc.clientWidth + 24 && sc.scrollLeft + sc.clientWidth < sc.scrollWidth - 8); }
    sc.addEventListener("scroll", update);
    window.addEventListener("resize", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var search = document.querySelector(".md-search");  // Material's search dialog has no name of its own
    if (search && !search.getAttribute("aria-label")) { search.setAttribute("aria-label", "搜索"); }
    document.querySelectorAll(".tbl.sortable").forEach(sortable);
    document.querySelectorAll(".tbl.filterable").forEach(filterable);
    document.querySelectorAll(".tbl").forEach(scrollHint);
    document.querySelectorAll("article .tbl").forEach(function (box) {
      if (!box.closest("details")) { csvButton(box); }
    });
  });
})();
