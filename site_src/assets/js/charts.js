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
      return window.vegaEmbed(el, spec, { actions: false, renderer: "svg", theme: dark() ? "dark" : undefined });
    }).catch(function (e) {
      el.textContent = "图表无法显示，数字见下方“图表数据”。";
      console.warn(e);
    });
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
