// Sortable (<div class="tbl sortable">) and filterable (<div class="tbl filterable">) tables. No dependencies.
(function () {
  "use strict";
  function key(td) {
    var s = td.getAttribute("data-sort");
    if (s !== null && s !== "" && !isNaN(Number(s))) { return { n: Number(s) }; }
    return { t: td.textContent.trim() };
  }
  function compare(a, b) {
    if ("n" in a && "n" in b) { return a.n - b.n; }
    if ("n" in a) { return -1; }
    if ("n" in b) { return 1; }
    return a.t.localeCompare(b.t, "zh-Hans-CN", { numeric: true });
  }
  function sortable(box) {
    var table = box.querySelector("table");
    var ths = table.querySelectorAll("thead th");
    ths.forEach(function (th, i) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "点击排序");
      function go() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        ths.forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) { return dir * compare(key(a.cells[i]), key(b.cells[i])); });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
    });
  }
  function filterable(box) {
    var input = box.querySelector("input.tbl-filter");
    var rows = box.querySelectorAll("tbody tr");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      rows.forEach(function (r) { r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".tbl.sortable").forEach(sortable);
    document.querySelectorAll(".tbl.filterable").forEach(filterable);
  });
})();
