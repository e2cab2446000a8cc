// The line-numbered source view: reads the published text file (downloads/raw/), splits it into lines
// exactly as the text reader numbers them (BOM dropped, CRLF/CR -> LF, no trailing empty line), gives
// each line an anchor #L<n> and scrolls to the one in the address. Nothing is fetched from elsewhere.
(function () {
  "use strict";
  function lines(text) {
    var out = text.replace(/^\ufeff/, "").replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n");
    if (out.length && out[out.length - 1] === "") { out.pop(); }
    return out;
  }
  function show(box, text) {
    var frag = document.createDocumentFragment();
    lines(text).forEach(function (t, i) {
      var n = i + 1;
      var span = document.createElement("span");
      span.className = "ln";
      span.id = "L" + n;
      var a = document.createElement("a");
      a.href = "#L" + n;
      a.textContent = String(n);
      span.appendChild(a);
      span.appendChild(document.createTextNode(t.trim() ? t : " "));
      frag.appendChild(span);
    });
    box.textContent = "";
    box.appendChild(frag);
    if (location.hash) {  // the anchor exists only now: navigate to it again so :target and scrolling apply
      var h = location.hash;
      history.replaceState(null, "", location.pathname + location.search);
      location.hash = h;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".source-text[data-src]");
    if (!box) { return; }
    fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.arrayBuffer(); })
      .then(function (buf) { show(box, new TextDecoder(box.getAttribute("data-encoding") || "utf-8").decode(buf)); })
      .catch(function (e) { console.warn("source text: " + e); });
  });
})();
