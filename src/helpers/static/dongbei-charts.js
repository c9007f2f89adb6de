// Draws every Vega-Lite chart on the page with the self-hosted bundle (window.vegaEmbed).
// Each chart is a <figure class="dongbei-vega"> holding its spec as JSON (see helpers/render.py).
// Loaded as a module after the bundle, so vegaEmbed is defined when this runs.
const figures = document.querySelectorAll("figure.dongbei-vega");
for (const figure of figures) {
  let spec;
  try {
    spec = JSON.parse(figure.querySelector("script.dongbei-vega-spec").textContent);
  } catch (error) {
    // A spec that does not parse is a broken chart: say so (the site tests look for this) and go on
    // drawing the others.
    figure.dataset.rendered = "error";
    console.error("chart spec is not valid JSON:", error);
    continue;
  }
  const target = figure.querySelector(".dongbei-vega-target");
  window
    .vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
    })
    .then(() => {
      // vega-embed's actions menu is a <summary> holding only an icon: give it a name.
      for (const summary of target.querySelectorAll("summary")) {
        summary.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
      }
      figure.dataset.rendered = "true";
      const meta = (spec.usermeta || {}).dongbei || {};
      if (meta.data_url) {
        const caption = document.createElement("figcaption");
        const link = document.createElement("a");
        link.href = meta.data_url;
        link.textContent = meta.data_label || "Download the data behind this chart (CSV)";
        caption.append(link);
        figure.append(caption);
      }
    })
    .catch((error) => {
      figure.dataset.rendered = "error";
      console.error("chart failed to render:", error);
    });
}
