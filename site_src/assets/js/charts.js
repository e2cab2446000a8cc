// Render every <div class="vchart" data-src=… data-name=…> with the vendored vega-embed.
// Specs live in one JSON file per page (same origin); nothing is fetched from elsewhere.
(function () {
  "use strict";
  var cache = {};
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
    return specs(el.getAttribute("data-src")).then(function (all) {
      var spec = all[el.getAttribute("data-name")];
      if (!spec) { return; }
      var opts = { actions: false, renderer: "svg", theme: dark() ? "dark" : undefined };
      if (dark()) { spec = Object.assign({}, spec, { background: null }); }
      return vegaEmbed(el, spec, opts);
    }).catch(function (e) {
      el.textContent = "图表无法显示，数字见下方“图表数据”。";
      console.warn(e);
    });
  }
  function drawAll() {
    document.querySelectorAll(".vchart[data-src]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    new MutationObserver(drawAll).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  });
})();
