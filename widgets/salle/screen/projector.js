// Tells the trainer's screen whether the page is projected: the Voilà template's « Mode projecteur »
// switch puts the class fa-projector on <html> (and remembers it in this browser). The screen then
// lays the code and the chart side by side, and hides answers until they are shown.
function render({ model, el }) {
  el.hidden = true;
  const root = document.documentElement;
  const sync = () => {
    const projected = root.classList.contains("fa-projector");
    if (model.get("projected") !== projected) {
      model.set("projected", projected);
      model.save_changes();
    }
  };
  const watcher = new MutationObserver(sync);
  watcher.observe(root, { attributes: true, attributeFilter: ["class"] });
  sync();
  return () => watcher.disconnect();
}

export default { render };
