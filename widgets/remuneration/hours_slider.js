// Hours slider of the simulator (anywidget front end, served with the page: no CDN).
//
// Why a native <input type="range">: ipywidgets' slider draws a handle with role="slider" but no
// accessible name, so a screen reader says « curseur » without saying what it sets. A native range
// input has a real <label>, arrow keys, Page Up/Down, Home/End, and a French spoken value
// (« 75,83 heures »). The value is sent to Python on « change » (released, or each key press), never
// while the mouse drags, so the simulator does not recompute for every pixel.

let counter = 0;

function french(value) {
  return Number(value).toLocaleString("fr-FR", { maximumFractionDigits: 2 });
}

function render({ model, el }) {
  counter += 1;
  const id = `fa-hours-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "fa-range";
  root.style.display = "flex";
  root.style.flexWrap = "wrap";
  root.style.alignItems = "center";
  root.style.gap = "0.25rem 0.75rem";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "fa-range-label";
  label.style.flex = "1 1 100%";
  label.style.fontWeight = "600";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.step = "1";
  input.style.flex = "1 1 12rem";
  input.style.minHeight = "2.75rem";
  input.style.maxWidth = "32rem";
  const shown = document.createElement("output");
  shown.htmlFor = id;
  shown.setAttribute("aria-hidden", "true");
  shown.style.minWidth = "5.5rem";
  shown.style.fontVariantNumeric = "tabular-nums";
  root.append(label, input, shown);
  el.append(root);

  function speak(value) {
    input.setAttribute("aria-valuetext", `${french(value)} heures par mois`);
    shown.textContent = `${french(value)} h`;
  }

  function sync() {
    label.textContent = model.get("label");
    input.max = String(model.get("max"));
    input.disabled = model.get("disabled");
    const value = model.get("value");
    input.value = String(value);
    speak(value);
  }

  input.addEventListener("input", () => speak(input.value));
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  ["change:value", "change:max", "change:label", "change:disabled"].forEach((name) => model.on(name, sync));
  sync();
}

export default { render };
