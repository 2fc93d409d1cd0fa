// A status line for « Faire avec » (anywidget front end, served with the page).
//
// Why: a learner who changes a field at the top of a long page must see that something is coming
// where they are looking, not 1 400 px below. While `visible` is true the line sticks to the bottom
// of the screen (position: sticky in the exercise's column: at its own place once the learner has
// scrolled down to it) and never covers the end of the page. It is also the line's own polite live
// region (role="status"): what it says is read once, and when the figures have arrived it says so
// in words a screen reader can read (visually hidden), so « calcul en cours » is never left behind.

function render({ model, el }) {
  const line = document.createElement("p");
  line.className = "fa-statusline";
  line.setAttribute("role", "status");
  el.append(line);
  el.classList.add("fa-statusline-host");

  function sync() {
    const text = model.get("value");
    const shown = Boolean(text) && model.get("visible");
    line.textContent = text;
    line.classList.toggle("fa-visually-hidden", !shown);
    el.classList.toggle("fa-statusline-host--shown", shown);
  }

  model.on("change:value", sync);
  model.on("change:visible", sync);
  sync();
  return () => {
    model.off("change:value", sync);
    model.off("change:visible", sync);
  };
}

export default { render };
