// Huajie UI: deadline countdowns. Words come from the page's catalog
// strings (template#countdown-words), so this file holds no UI text.
(function () {
  "use strict";
  function words() {
    var t = document.getElementById("countdown-words");
    if (!t) return null;
    var s = t.content.querySelector("span");
    return s ? s.dataset : null;
  }
  function fmt(ms, w) {
    var over = ms < 0;
    ms = Math.abs(ms);
    var m = Math.floor(ms / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    m = m % 60;
    var parts = [];
    if (d) parts.push(d + w.d);
    if (d || h) parts.push(h + w.h);
    if (!d) parts.push(m + w.m);
    return (over ? w.over : w.left).replace("%s", parts.join(" "));
  }
  function tick() {
    var w = words();
    if (!w) return;
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due);
      if (isNaN(due) || due < 86400000) { el.textContent = ""; return; }
      var ms = due - now;
      el.textContent = fmt(ms, w);
      el.classList.toggle("over", ms < 0);
      el.classList.toggle("soon", ms >= 0 && ms < 2 * 86400000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();
