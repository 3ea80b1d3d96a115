// The pages' one script (no inline script: the CSP allows scripts from this site only).
// htmx (52 KB) is loaded only when a form marked data-htmx is first approached, so no page's first
// load carries it; until then, and without JavaScript, those forms submit and reload as usual.
(function () {
  "use strict";
  var loading = false;
  function loadHtmx() {
    if (loading || window.htmx) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = document.documentElement.getAttribute("data-htmx-src");
    // htmx processes the page itself only if it arrives before DOMContentLoaded or after "load";
    // in between it would wait for an event that already happened.
    script.onload = function () { window.htmx.process(document.body); };
    document.head.appendChild(script);
  }
  function watch(form) {
    ["focusin", "pointerover", "touchstart"].forEach(function (name) {
      form.addEventListener(name, loadHtmx, { once: true, passive: true });
    });
  }
  // A part that refreshes itself (a match run's progress) gets htmx once the page has loaded.
  window.addEventListener("load", function () {
    if (document.querySelector("[data-htmx-poll]")) { loadHtmx(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-htmx]"), watch);
    // Sign-up: offer the browser's own time zone instead of UTC.
    var zone = document.querySelector("input[data-timezone]");
    if (zone && (!zone.value || zone.value === "UTC") && window.Intl) {
      zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || zone.value;
    }
  });
})();
