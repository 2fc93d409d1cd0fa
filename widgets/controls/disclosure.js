// A disclosure (« voir le détail ») for « Faire avec » (anywidget front end, served with the page).
//
// Why a widget rather than a <details> written into an HTML widget: an HTML widget replaces all of
// its content at each redraw, so a <details> the learner opened would close again at every change
// of the figures. Here the <details> stays; only its content is replaced, and its state (`expanded`) is
// kept by the kernel, so it also survives a redraw of the page. A native <details>/<summary> is
// reached with Tab and opened with Enter or Space, and screen readers say whether it is open.

function render({ model, el }) {
  const details = document.createElement("details");
  details.className = "fa-disclosure";
  const summary = document.createElement("summary");
  summary.className = "fa-disclosure-summary";
  const body = document.createElement("div");
  body.className = "fa-disclosure-body";
  details.append(summary, body);
  el.append(details);

  details.addEventListener("toggle", () => {
    if (model.get("expanded") !== details.open) {
      model.set("expanded", details.open);
      model.save_changes();
    }
  });

  function sync() {
    summary.textContent = model.get("summary");
    details.open = model.get("expanded");
    el.hidden = !model.get("html");
  }

  function fill() {
    body.innerHTML = model.get("html"); // built by the course's Python, every text escaped there
    el.hidden = !model.get("html");
  }

  model.on("change:summary", sync);
  model.on("change:expanded", sync);
  model.on("change:html", fill);
  sync();
  fill();
  return () => {
    model.off("change:summary", sync);
    model.off("change:expanded", sync);
    model.off("change:html", fill);
  };
}

export default { render };
