// Huajie supervisor dashboard charts (Apache ECharts). Series names and
// labels come from the server in the page's language.
(function () {
  "use strict";
  var palette = { anger: "#d4380d", anxiety: "#fa8c16", disappointment: "#722ed1", surprise: "#13c2c2", joy: "#52c41a", neutral: "#8c8c8c" };
  function init() {
    var el = document.getElementById("chart-data");
    if (!el || !window.echarts) return;
    var d = JSON.parse(el.textContent);
    var anim = !d.noAnim;
    var charts = [];
    function chart(id, option) {
      var node = document.getElementById(id);
      if (!node) return;
      option.animation = anim;
      var c = echarts.init(node, null, { renderer: "canvas" });
      c.setOption(option);
      charts.push(c);
    }
    var grid = { left: 40, right: 16, top: 36, bottom: 28 };
    chart("chart-volume", {
      grid: grid, tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.days }, yAxis: { type: "value", minInterval: 1 },
      series: [{ name: d.labels.volume, type: "bar", data: d.volume, itemStyle: { color: "#1d5fa8" } }]
    });
    chart("chart-emotion", {
      grid: grid, tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
      xAxis: { type: "category", data: d.days }, yAxis: { type: "value", minInterval: 1 },
      series: d.emotions.map(function (s) {
        return { name: s.name, type: "line", stack: "emotion", areaStyle: {}, symbol: "none", data: s.data, itemStyle: { color: palette[s.key] } };
      })
    });
    chart("chart-channel", {
      grid: { left: 90, right: 16, top: 28, bottom: 24 }, tooltip: { trigger: "axis" }, legend: { top: 0 },
      xAxis: { type: "value", max: 1 }, yAxis: { type: "category", data: d.channels, inverse: true },
      series: [
        { name: d.labels.risk, type: "bar", data: d.risk, itemStyle: { color: "#d4380d" } },
        { name: d.labels.high, type: "bar", data: d.highShare, itemStyle: { color: "#f59e0b" } }
      ]
    });
    // No animation on resize: a screenshot or print right after it sees the charts drawn.
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize({ animation: { duration: 0 } }); }); });
    document.body.dataset.chartsReady = "1";
  }
  document.addEventListener("DOMContentLoaded", init);
})();
