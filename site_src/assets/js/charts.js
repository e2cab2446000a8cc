// Render every <div class="vchart" data-src=… data-name=…> with the vendored Vega libraries.
// The libraries (assets/vendor/, ~250 KB gzipped) are loaded only on pages that have charts;
// specs live in one JSON file per page (same origin). Nothing is fetched from elsewhere.
(function () {
  "use strict";
  var LIBS = ["vega@6.4.0.min.js", "vega-lite@6.4.1.min.js", "vega-embed@7.3.0.min.js"];
  var me = document.currentScript ? document.currentScript.src : "";
  var vendor = me.replace(/js\/charts\.js(\?.*)?$/, "vendor/");
  var cache = {};
  var ready = null;
  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }
  function libs() {
    if (!ready) {
      ready = LIBS.reduce(function (p, name) {
        return p.then(function () { return script(vendor + name); });
      }, Promise.resolve());
    }
    return ready;
  }
  function specs(src) {
    if (!cache[src]) {
      cache[src] = fetch(src, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error("chart data " + src + ": HTTP " + r.status); }
        return r.json();
      });
    }
    return cache[src];
  }
  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }
  function draw(el) {
    return Promise.all([specs(el.getAttribute("data-src")), libs()]).then(function (got) {
      var spec = got[0][el.getAttribute("data-name")];
      if (!spec) { return; }
      spec = JSON.parse(JSON.stringify(spec));
      if (dark()) { spec.background = null; }
      if (el.clientWidth < 560 && spec.config) {  // phones: shorter axis and legend labels leave room for bars
        spec.config.axis = Object.assign({}, spec.config.axis, { labelLimit: 110 });
        spec.config.legend = Object.assign({}, spec.config.legend, { labelLimit: 140, columns: 1 });
      }
      return window.vegaEmbed(el, spec, { actions: false, renderer: "svg", theme: dark() ? "dark" : undefined })
        .then(function (res) { label(el); downloads(el, res.view); return res; });
    }).catch(function (e) {
      el.textContent = "图表无法显示，数字见下方“图表数据”。";
      console.warn(e);
    });
  }
  // Vega sets aria-label="Vega visualization" on the SVG and its container: keep the Chinese caption instead.
  function label(el) {
    var name = el.getAttribute("aria-label") || "";
    el.querySelectorAll("[aria-label]").forEach(function (n) {
      if (/^Vega visualization$/i.test(n.getAttribute("aria-label"))) { n.setAttribute("aria-label", name); }
    });
    var svg = el.querySelector("svg");
    if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", name); }
  }
  // PNG, SVG and CSV of each chart, made in the browser from the drawn view and its data.
  function downloads(el, view) {
    var fig = el.closest("figure");
    if (!fig || fig.querySelector(".chart-dl")) { return; }
    var name = (el.getAttribute("data-name") || "chart");
    var box = document.createElement("p");
    box.className = "chart-dl";
    function link(text, make, file) {
      var a = document.createElement("a");
      a.href = "#";
      a.textContent = text;
      a.addEventListener("click", function (e) {
        e.preventDefault();
        Promise.resolve(make()).then(function (url) {
          var t = document.createElement("a");
          t.href = url; t.download = file; document.body.appendChild(t); t.click(); t.remove();
        });
      });
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    }
    link("下载 PNG", function () { return view.toImageURL("png", 2); }, name + ".png");
    link("下载 SVG", function () { return view.toImageURL("svg"); }, name + ".svg");
    link("下载 CSV", function () {
      var rows = view.data("source_0") || [];
      var cols = rows.length ? Object.keys(rows[0]).filter(function (k) { return k.charAt(0) !== "_" && k !== "Symbol(vega_id)"; }) : [];
      var esc = function (v) { v = v == null ? "" : String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
      var csv = "\ufeff" + [cols.join(",")].concat(rows.map(function (r) { return cols.map(function (c) { return esc(r[c]); }).join(","); })).join("\n");
      return URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    }, name + ".csv");
    fig.appendChild(box);
  }
  function drawAll() {
    document.querySelectorAll(".vchart[data-src]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector(".vchart[data-src]")) { return; }
    drawAll();
    new MutationObserver(drawAll).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  });
})();
