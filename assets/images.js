// PNG and SVG of a chart as drawn: a click on a [data-cg-image] button renders its dcc.Graph with
// Plotly.toImage (in the browser, offline; what is suppressed on screen is absent here too) and
// saves it. data-cg-caption, when set, is stamped under the chart (the boundary credit on maps).
(function () {
  "use strict";

  function plotOf(id) {
    const holder = document.getElementById(id);
    return holder && (holder.classList.contains("js-plotly-plot")
      ? holder : holder.querySelector(".js-plotly-plot"));
  }

  function withCaption(gd, caption) {
    const layout = Object.assign({}, gd.layout);
    if (caption) {
      const margin = Object.assign({}, layout.margin || {});
      margin.b = Math.max(margin.b || 0, 60);
      layout.margin = margin;
      layout.annotations = (layout.annotations || []).concat([{
        text: caption, showarrow: false, xref: "paper", yref: "paper",
        x: 0, y: 0, xanchor: "left", yanchor: "top", yshift: -40,
        font: {size: 11, color: "#555"},
      }]);
    }
    return {data: gd.data, layout: layout};
  }

  function save(url, name) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-cg-image]");
    if (!button || !window.Plotly) {
      return;
    }
    const gd = plotOf(button.dataset.cgGraph);
    if (!gd || !gd.data) {
      return;
    }
    const format = button.dataset.cgImage;
    const options = {
      format: format,
      width: gd.offsetWidth || 1000,
      height: gd.offsetHeight || 600,
      scale: format === "png" ? 2 : 1,
    };
    window.Plotly.toImage(withCaption(gd, button.dataset.cgCaption), options).then(
      function (url) { save(url, button.dataset.cgName + "." + format); }
    );
  });
})();
