// The line-numbered source view: reads the text file from downloads/raw/ (the published original, or, when
// the originals are hosted elsewhere, its gzip copy: data-gzip), splits it into lines exactly as the text
// reader numbers them (BOM dropped, CRLF/CR -> LF, no trailing empty line), gives each line an anchor #L<n>
// and scrolls to the one in the address. Nothing is fetched from elsewhere.
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
  function failed(box, why) {  // the box keeps its link to the original; its words say what happened
    var p = box.querySelector("p");
    if (p && p.firstChild && p.firstChild.nodeType === 3) { p.firstChild.nodeValue = why + "请"; }
  }
  function gunzip(buf) {
    var b = new Uint8Array(buf);
    if (b[0] !== 0x1f || b[1] !== 0x8b) { return buf; }  // a server that sent it Content-Encoding: gzip
    return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".source-text[data-src]");
    if (!box) { return; }
    var gz = box.hasAttribute("data-gzip");
    if (gz && typeof DecompressionStream !== "function") {
      failed(box, "此浏览器不能在本页解压原文，");
      return;
    }
    fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.arrayBuffer(); })
      .then(function (buf) { return gz ? gunzip(buf) : buf; })
      .then(function (buf) { show(box, new TextDecoder(box.getAttribute("data-encoding") || "utf-8").decode(buf)); })
      .catch(function (e) { failed(box, "原文未能载入，"); console.warn("source text: " + e); });
  });
})();
