// Injected first into a copy of the report (tests only): every script
// error, unhandled rejection, console.error and failed resource load is
// remembered for check_layout.js to report.
window.__ndErrors = [];
window.addEventListener("error", function (e) {
  var what = e.message || (e.target && (e.target.src || e.target.href || e.target.tagName)) || "error";
  window.__ndErrors.push("error: " + what);
}, true);
window.addEventListener("unhandledrejection", function (e) {
  window.__ndErrors.push("unhandled rejection: " + e.reason);
});
(function () {
  var orig = console.error;
  console.error = function () {
    window.__ndErrors.push("console.error: " + Array.prototype.join.call(arguments, " "));
    return orig.apply(console, arguments);
  };
})();
