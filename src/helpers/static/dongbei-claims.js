// Filters for the sources-audit table (appendix/claims): free text plus verdict, document and theme.
// The table is plain HTML written by helpers.tables.claims_html; without JavaScript it is simply the
// full table. Filter state lives only in the controls and is not kept in the URL: a reload, or a link to
// #claim-..., opens the page with every row shown.
const box = document.querySelector("div.dongbei-claims");
if (box) {
  const table = box.querySelector("table");
  const rows = Array.from(table.tBodies[0].rows);
  const text = box.querySelector("input.claims-search");
  const selects = Array.from(box.querySelectorAll("select[data-column]"));
  const count = box.querySelector(".claims-count");
  const apply = () => {
    const needle = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      let ok = !needle || row.textContent.toLowerCase().includes(needle);
      for (const select of selects) {
        if (ok && select.value) ok = row.dataset[select.dataset.column] === select.value;
      }
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    count.textContent = `${shown} of ${rows.length} claims shown`;
  };
  text.addEventListener("input", apply);
  for (const select of selects) select.addEventListener("change", apply);
  box.querySelector("button.claims-reset").addEventListener("click", () => {
    text.value = "";
    for (const select of selects) select.value = "";
    apply();
  });
  box.querySelector(".claims-controls").hidden = false;
  apply();
}
