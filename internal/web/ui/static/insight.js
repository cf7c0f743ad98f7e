// Huajie insight page charts (Apache ECharts): complaints by cause per
// week, the SERVQUAL radar, a measure's targeted complaints before and
// after it took effect. Names come from the server in the page's language.
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("insight-data");
    if (!el || !window.echarts) return;
    var d = JSON.parse(el.textContent);
    var anim = !d.noAnim;
    function chart(id, option) {
      var node = document.getElementById(id);
      if (!node) return;
      option.animation = anim;
      var c = echarts.init(node, null, { renderer: "canvas" });
      c.setOption(option);
      window.addEventListener("resize", function () { c.resize(); });
    }
    chart("chart-trend", {
      grid: { left: 40, right: 16, top: 40, bottom: 28 }, tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
      xAxis: { type: "category", data: d.weeks || [] }, yAxis: { type: "value", minInterval: 1 },
      series: (d.causes || []).map(function (s) { return { name: s.name, type: "line", symbol: "none", data: s.data }; })
    });
    if (d.radar && d.radar.length) {
      chart("chart-radar", {
        tooltip: {}, legend: { top: 0 },
        radar: { indicator: d.radar.map(function (n) { return { name: n, min: 1, max: 7 }; }) },
        series: [{ type: "radar", data: [{ name: d.labels.expect, value: d.expect }, { name: d.labels.percept, value: d.percept }] }]
      });
    }
    if (d.effect) {
      chart("chart-effect", {
        grid: { left: 40, right: 16, top: 16, bottom: 28 }, tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.effect.days }, yAxis: { type: "value", minInterval: 1 },
        series: [{ name: d.labels.targeted, type: "bar", data: d.effect.targeted, itemStyle: { color: "#1d5fa8" },
          markLine: { symbol: "none", data: [{ xAxis: d.effect.marker }] } }]
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
