// Huajie insight pages' charts (Apache ECharts). Each chart is a <div
// id=X> with its data in <script type="application/json"
// data-chart-for="X">, written by the server in the page's language. The
// charts are drawn on load and again inside whatever htmx swaps in (the
// pickers replace the chart and table without a page load). Each drawn
// chart records its series' names in data-series, and the body gets
// data-charts-ready, so tests can wait for the drawing.
(function () {
  "use strict";
  var palette = ["#1d5fa8", "#d9480f", "#2b8a3e", "#ae3ec9", "#f59f00", "#0c8599", "#c2255c", "#5c7cfa", "#74b816", "#868e96", "#e8590c", "#364fc7", "#495057"];

  function pct(v) { return Math.round(v * 1000) / 10 + "%"; }

  function option(d) {
    var anim = !d.noAnim;
    if (d.kind === "radar") {
      return {
        animation: anim, color: palette, tooltip: {}, legend: { top: 0 },
        radar: { indicator: (d.indicators || []).map(function (n) { return { name: n, min: 1, max: 7 }; }), radius: "62%" },
        series: [{ type: "radar", data: (d.series || []).map(function (s) { return { name: s.name, value: s.data }; }) }]
      };
    }
    if (d.kind === "spark") {
      return {
        animation: anim, grid: { left: 2, right: 2, top: 4, bottom: 2 },
        xAxis: { type: "category", show: false, data: d.x || [] }, yAxis: { type: "value", show: false, min: 0 },
        tooltip: { trigger: "axis" },
        series: (d.series || []).map(function (s) { return { name: s.name, type: "line", symbol: "none", areaStyle: { opacity: 0.2 }, data: s.data, color: "#1d5fa8" }; })
      };
    }
    var y = [{ type: "value", name: d.yName || "", minInterval: d.percent ? 0 : 1,
      axisLabel: d.percent ? { formatter: function (v) { return pct(v); } } : {} }];
    if (d.y2Name) y.push({ type: "value", name: d.y2Name, minInterval: 1, splitLine: { show: false } });
    var series = (d.series || []).map(function (s, i) {
      var o = { name: s.name, type: s.type || (d.kind === "bar" ? "bar" : "line"), data: s.data, yAxisIndex: s.axis || 0,
        symbol: d.kind === "curve" ? "circle" : "none", smooth: false };
      if (d.kind === "stack" && !s.type) { o.type = "bar"; o.stack = "all"; }
      if (i === 0 && d.marker) o.markLine = { symbol: "none", label: { formatter: d.marker }, data: [{ xAxis: d.marker }] };
      if (i === 0 && d.marks && d.marks.length) {
        o.markPoint = { data: d.marks.map(function (m) { return { name: m.name, coord: [m.x, m.y], value: m.name }; }), symbolSize: 54 };
      }
      return o;
    });
    return {
      animation: anim, color: palette,
      grid: { left: 48, right: d.y2Name ? 48 : 16, top: 44, bottom: 28, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: d.percent ? function (v) { return typeof v === "number" && v <= 1 ? pct(v) : v; } : undefined },
      legend: { top: 0, type: "scroll" },
      xAxis: { type: "category", data: d.x || [] }, yAxis: y, series: series
    };
  }

  // draw draws every chart; data-charts-ready is set once each has
  // finished rendering (after its animation, when animation is on).
  function draw(root) {
    if (!window.echarts) return;
    var scripts = (root || document).querySelectorAll("script[data-chart-for]");
    var pending = 1; // released after the loop, so no chart ends it early
    delete document.body.dataset.chartsReady;
    function done() { if (--pending <= 0) document.body.dataset.chartsReady = "1"; }
    for (var i = 0; i < scripts.length; i++) {
      var node = document.getElementById(scripts[i].getAttribute("data-chart-for"));
      if (!node) continue;
      var d;
      try { d = JSON.parse(scripts[i].textContent); } catch (e) { continue; }
      var old = echarts.getInstanceByDom(node);
      if (old) old.dispose();
      var c = echarts.init(node, null, { renderer: "canvas" });
      pending++;
      c.on("finished", function once() { c.off("finished", once); done(); });
      c.setOption(option(d));
      node.dataset.series = (d.series || []).map(function (s) { return s.name; }).join("|");
      node.dataset.points = String((d.x || []).length);
    }
    done();
    // A chart hidden or sized zero may never report: do not wait forever.
    if (pending > 0) setTimeout(function () { document.body.dataset.chartsReady = "1"; }, 5000);
  }

  window.addEventListener("resize", function () {
    var nodes = document.querySelectorAll("[data-series]");
    for (var i = 0; i < nodes.length; i++) {
      var c = window.echarts && echarts.getInstanceByDom(nodes[i]);
      // No animation: a screenshot or print right after a resize (a full-page
      // capture is one) would catch a radar still growing from its centre.
      if (c) c.resize({ animation: { duration: 0 } });
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    draw(document);
    // The pickers pushed a new URL: the language switch returns there.
    var next = document.querySelector('form[action="/ui/lang"] input[name="next"]');
    if (next) next.value = location.pathname + location.search;
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { draw(document); }); else draw(document);
})();
