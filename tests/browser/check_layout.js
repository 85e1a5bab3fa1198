// Injected last into a copy of the report (tests only).  Once the page
// has loaded, measures the rendered layout and writes one verdict line per finding into
// a pre element with id nd-verdict, which the test reads from chromium --dump-dom:
//   VIEWPORT <width>
//   CHARTS <figures> SVGS <svgs> TEXTS <text elements>
//   HEIGHT <document height>
//   FAIL <what>        (one per problem)
//   ERROR <message>    (script and console errors)
// Every chart shows an SVG; each SVG shown must have a non-empty box inside
// the viewport's width; no
// text element may stick out of its SVG's box (1 px tolerance for
// anti-aliasing).
window.addEventListener("load", function () {
  var out = [];
  var vw = document.documentElement.clientWidth;
  out.push("VIEWPORT " + vw);
  var figures = document.querySelectorAll("figure.chart");
  var nsvg = 0, ntext = 0;
  var TOL = 1;
  figures.forEach(function (fig) {
    // an SVG the style sheet hides at this width (display:none: no box at
    // all) is an alternative layout; at least one per chart must show
    var svgs = Array.prototype.filter.call(fig.querySelectorAll("svg"), function (s) {
      return s.getClientRects().length > 0;
    });
    if (svgs.length === 0) out.push("FAIL " + fig.id + ": no svg shown");
    svgs.forEach(function (svg, k) {
      nsvg++;
      var name = fig.id + " svg " + k;
      var b = svg.getBoundingClientRect();
      if (!(b.width > 0 && b.height > 0)) out.push("FAIL " + name + ": empty box " + b.width + "x" + b.height);
      if (b.left < -TOL || b.right > vw + TOL)
        out.push("FAIL " + name + ": box " + b.left.toFixed(1) + ".." + b.right.toFixed(1) +
                 " outside the viewport width " + vw);
      svg.querySelectorAll("text").forEach(function (t) {
        ntext++;
        var r = t.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return;       // empty text draws nothing
        if (r.left < b.left - TOL || r.right > b.right + TOL || r.top < b.top - TOL || r.bottom > b.bottom + TOL)
          out.push("FAIL " + name + ": text \"" + t.textContent + "\" at " +
                   r.left.toFixed(1) + "," + r.top.toFixed(1) + ".." + r.right.toFixed(1) + "," + r.bottom.toFixed(1) +
                   " overflows the chart box " + b.left.toFixed(1) + "," + b.top.toFixed(1) + ".." +
                   b.right.toFixed(1) + "," + b.bottom.toFixed(1));
      });
    });
  });
  out.push("CHARTS " + figures.length + " SVGS " + nsvg + " TEXTS " + ntext);
  out.push("HEIGHT " + document.documentElement.scrollHeight);
  // one self-contained file: nothing may be fetched from the network
  performance.getEntriesByType("resource").forEach(function (e) {
    if (!/^(data|blob|file):/.test(e.name)) out.push("FAIL fetched " + e.name);
  });
  (window.__ndErrors || []).forEach(function (e) { out.push("ERROR " + e); });
  var pre = document.createElement("pre");
  pre.id = "nd-verdict";
  pre.textContent = "\n" + out.join("\n") + "\n";
  document.body.appendChild(pre);
});
