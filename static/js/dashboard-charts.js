/* Dashboard plots with chart.js (served from node_modules; no CDN). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Okabe-Ito colours: told apart with colour-blindness too.
  var sectorColours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#999999"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.animation = reduceMotion ? false : Chart.defaults.animation;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { return new Chart(canvas, config); }
    return null;
  }

  // A bar's list, by dataset then by bar.
  function follow(urls, elements) {
    if (!elements.length || !urls) { return; }
    window.location.assign(urls[elements[0].datasetIndex][elements[0].index]);
  }

  function pointer(event, elements) {
    event.native.target.style.cursor = elements.length ? "pointer" : "default";
  }

  make("chart-tiers", {
    type: "bar",
    data: {
      labels: data.tiers.labels,
      datasets: data.tiers.sectors.map(function (sector, i) {
        return { label: sector, data: data.tiers.counts[i], backgroundColor: sectorColours[i % sectorColours.length] };
      })
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      // A bar leads to the organisations it counts (the table's figures are links too).
      onClick: function (event, elements) { follow(data.tiers.urls, elements); },
      onHover: pointer
    }
  });

  make("chart-reviews", {
    type: "bar",
    data: {
      labels: data.reviews.labels,
      datasets: [
        { label: "Completed on time", data: data.reviews.on_time, backgroundColor: "#198754" },
        { label: "Completed late", data: data.reviews.late, backgroundColor: "#ffc107" },
        { label: "Overdue", data: data.reviews.overdue, backgroundColor: "#dc3545" },
        { label: "Not yet due", data: data.reviews.upcoming, backgroundColor: "#adb5bd" }
      ]
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      // A segment leads to the reviews it counts (the table's figures are links too).
      onClick: function (event, elements) { follow(data.reviews.urls, elements); },
      onHover: pointer
    }
  });

  var gap = data.coverage.gap;
  // A gap has no bar to colour, so it gets a thin red marker and a red label.
  var shown = data.coverage.active.map(function (n, i) { return gap[i] ? 0.15 : n; });
  make("chart-coverage", {
    type: "bar",
    data: {
      labels: data.coverage.labels,
      datasets: [{
        label: "Agreed or delivering contributions",
        data: shown,
        backgroundColor: gap.map(function (g) { return g ? "#dc3545" : "#0d6efd"; }),
        borderColor: gap.map(function (g) { return g ? "#dc3545" : "#0d6efd"; }),
        borderWidth: 1
      }]
    },
    options: {
      indexAxis: "y",
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 } },
        y: { ticks: {
          color: function (ctx) { return gap[ctx.index] ? "#b02a37" : "#212529"; },
          callback: function (value, index) {
            var label = data.coverage.labels[index];
            var room = window.innerWidth < 576 ? 16 : (window.innerWidth < 1200 ? 34 : 60);
            if (label.length > room) { label = label.slice(0, room - 1) + "…"; }
            return gap[index] ? "GAP " + label : label;
          }
        } }
      },
      // A bar leads to the area's support now (the table's figures are links too).
      onClick: function (event, elements) { follow([data.coverage.urls], elements); },
      onHover: pointer,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) {
          var i = ctx.dataIndex;
          return gap[i] ? "Gap: no agreed or delivering support" :
            data.coverage.active[i] + " agreed or delivering (" + data.coverage.support[i] + " incl. completed)";
        } } }
      }
    }
  });
})();
