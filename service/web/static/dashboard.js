/* The dashboard's charts, drawn with Chart.js (served by the app from /ui/static/vendor/) from
   the figures the server put in #dashboard-data: the same numbers as GET /progress and
   GET /summary?kind=progress. Every chart also has its numbers in a table or caption. */
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const colours = {
    planned: "#16324f", achieved: "#2e6b1f",
    met: "#2e6b1f", on_track: "#0b5cad", behind: "#b3261e", no_report: "#6b7280",
  };
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.animation = false;

  data.planned_vs_achieved.forEach(function (entry, index) {
    const canvas = document.getElementById("pva-" + index);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: [labels.planned, labels.achieved],
        datasets: [{
          label: entry.label,
          data: [entry.planned, entry.achieved],
          backgroundColor: [colours.planned, colours.achieved],
        }],
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true } },
      },
    });
  });

  const units = document.getElementById("units-chart");
  if (units && data.by_unit.length) {
    const statuses = ["met", "on_track", "behind", "no_report"];
    new Chart(units, {
      type: "bar",
      data: {
        labels: data.by_unit.map(function (g) { return g.responsible_unit || labels.no_unit; }),
        datasets: statuses.map(function (status) {
          return {
            label: labels[status], data: data.by_unit.map(function (g) { return g[status]; }),
            backgroundColor: colours[status], stack: "targets",
          };
        }),
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    });
    units.parentElement.style.height = Math.max(160, 38 * data.by_unit.length + 80) + "px";
  }
}());
