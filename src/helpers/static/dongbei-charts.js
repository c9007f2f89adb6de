// Charts on the static site (see helpers/render.py). Every chart arrives drawn: an SVG made at build
// time, readable without this script. This script adds, where a reader interacts:
// - tooltips: each mark carries Vega-Lite's own description of its values (aria-label), shown on
//   hover, focus or touch; no chart library is needed for that;
// - live charts: a chart with parameters (sliders, dropdowns) also carries its spec, compiled to Vega
//   at build time. When it is in view and the reader has scrolled or touched the page (or uses its
//   button), the Vega bundle served by the site is loaded (once per page, cached across pages) and
//   the picture is swapped for the live chart.
const script = document.querySelector("script[data-runtime]");
const runtimeUrl = new URL(script ? script.dataset.runtime : "vendor/vega-bundle.js", import.meta.url).href;

// ---- tooltips ---------------------------------------------------------------------------------
const tip = document.createElement("div");
tip.className = "dongbei-tip";
tip.setAttribute("role", "tooltip");
tip.hidden = true;
document.body.append(tip);

function rows(value) {
  // A mark's description is "field: value; field: value"; a live chart's tooltip is an object.
  const pairs = typeof value === "string"
    ? value.split("; ").map((part) => {
        const at = part.indexOf(": ");
        return at < 0 ? ["", part] : [part.slice(0, at), part.slice(at + 2)];
      })
    : Object.entries(value || {});
  return pairs.filter(([key]) => !key.startsWith("_"));
}

function showTip(value, x, y) {
  const lines = rows(value);
  if (!lines.length) return hideTip();
  tip.replaceChildren(...lines.map(([key, val]) => {
    const line = document.createElement("div");
    if (key) {
      const name = document.createElement("span");
      name.className = "key";
      name.textContent = `${key}: `;
      line.append(name);
    }
    line.append(String(val));
    return line;
  }));
  tip.hidden = false;
  const box = tip.getBoundingClientRect();
  const left = Math.min(x + 12, window.innerWidth - box.width - 4);
  const top = y + 16 + box.height > window.innerHeight ? y - box.height - 12 : y + 16;
  tip.style.left = `${Math.max(4, left) + window.scrollX}px`;
  tip.style.top = `${Math.max(4, top) + window.scrollY}px`;
}

function hideTip() {
  tip.hidden = true;
}

function markAt(target) {
  const mark = target.closest && target.closest("[role='graphics-symbol'][aria-label]");
  return mark && mark.closest("figure.dongbei-vega") && !mark.closest("[data-live='true']") ? mark : null;
}

document.addEventListener("pointerover", (event) => {
  const mark = markAt(event.target);
  if (mark) showTip(mark.getAttribute("aria-label"), event.clientX, event.clientY);
  else if (!event.target.closest || !event.target.closest(".dongbei-tip")) hideTip();
});
document.addEventListener("pointerdown", (event) => {
  const mark = markAt(event.target);
  if (mark) showTip(mark.getAttribute("aria-label"), event.clientX, event.clientY);
  else hideTip();
});
document.addEventListener("keydown", (event) => event.key === "Escape" && hideTip());

// ---- live charts ------------------------------------------------------------------------------
let runtime = null;
function loadRuntime() {
  // vl-convert's bundle defines window.vegaEmbed; given a compiled Vega spec, it runs Vega alone.
  runtime = runtime || import(runtimeUrl).then(() => window.vegaEmbed);
  return runtime;
}

const tooltip = (handler, event, item, value) => {
  if (value == null || value === "") hideTip();
  else showTip(value, event.clientX, event.clientY);
};

async function hydrate(figure) {
  if (figure.dataset.live !== "pending") return;
  figure.dataset.live = "loading";
  try {
    let spec;
    try {
      spec = JSON.parse(figure.querySelector("script.dongbei-vega-spec").textContent);
    } catch (error) {
      // A spec that does not parse is a broken chart: say so (the site tests look for this).
      figure.dataset.rendered = "error";
      figure.dataset.live = "error";
      console.error("chart spec is not valid JSON:", error);
      return;
    }
    const vegaEmbed = await loadRuntime();
    const target = figure.querySelector(".dongbei-vega-target");
    const live = document.createElement("div");
    live.className = "dongbei-vega-target dongbei-vega-live";
    live.hidden = true;
    target.after(live);
    await vegaEmbed(live, spec, { mode: "vega", renderer: "svg", actions: false, tooltip });
    const svg = live.querySelector("svg");
    if (svg) {
      svg.setAttribute("aria-label", figure.getAttribute("aria-label") || "");
    }
    live.style.minHeight = `${target.offsetHeight}px`; // no jump while the picture is swapped
    target.remove();
    const slot = figure.querySelector(".dongbei-vega-controls");
    if (slot) slot.remove(); // the live chart draws its own controls
    live.hidden = false;
    figure.dataset.live = "true";
  } catch (error) {
    figure.dataset.rendered = "error";
    figure.dataset.live = "error";
    console.error("live chart failed to start:", error);
  }
}

// A live chart starts when it is in view and the reader has done something on the page (scrolled,
// touched, clicked, pressed a key), or at once when the reader uses its "Use the controls" button.
// So a page that is only opened, or a chart at the top that is only looked at, costs no runtime.
const pending = document.querySelectorAll("figure.dongbei-vega[data-live='pending']");
if (pending.length) {
  const visible = new Set();
  let engaged = false;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) visible.add(entry.target);
      else visible.delete(entry.target);
      if (engaged && entry.isIntersecting) {
        observer.unobserve(entry.target);
        hydrate(entry.target);
      }
    }
  }, { rootMargin: "100px 0px" });
  const engage = (event) => {
    // The theme scrolls its sidebar into place on load: only the reader scrolling the page counts.
    if (engaged || (event.type === "scroll" && event.target !== document)) return;
    engaged = true;
    for (const type of ENGAGE) window.removeEventListener(type, engage, true);
    for (const figure of visible) {
      observer.unobserve(figure);
      hydrate(figure);
    }
  };
  const ENGAGE = ["scroll", "wheel", "pointerdown", "keydown", "touchstart"];
  for (const type of ENGAGE) window.addEventListener(type, engage, { capture: true, passive: true });
  for (const figure of pending) {
    observer.observe(figure);
    const slot = figure.querySelector(".dongbei-vega-controls");
    if (slot) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "dongbei-vega-start";
      button.textContent = "Use the chart's controls";
      button.addEventListener("click", () => hydrate(figure));
      slot.append(button);
    }
    figure.addEventListener("focusin", () => hydrate(figure), { once: true });
  }
}
