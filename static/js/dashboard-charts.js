// Dashboard charts (templates/console/dashboard.html). Progressive enhancement: every figure is
// also a table beside its chart. The data come from the `dashboard-charts` JSON block; each
// <canvas data-chart="name"> gets the chart of that name.
(() => {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);

  function config(spec) {
    const type = spec.type || "bar";
    const options = { responsive: true, maintainAspectRatio: false, animation: false };
    if (type === "bar") {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        x: { stacked: Boolean(spec.stacked), beginAtZero: true },
        y: { stacked: Boolean(spec.stacked), beginAtZero: true },
      };
    }
    return { type, data: { labels: spec.labels, datasets: spec.datasets }, options };
  }

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const spec = charts[canvas.dataset.chart];
    if (spec) new Chart(canvas, config(spec));
  }
})();
