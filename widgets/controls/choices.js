// Accessible choice group for « Faire avec » (anywidget front end, served with the page: no CDN).
//
// Why native inputs inside a role="radiogroup": the browser then gives exactly the behaviour people
// expect from a radio group (one Tab stop, arrow keys move the choice, Space checks) and screen
// readers announce « bouton radio, coché, 2 sur 4 ». Each option is a whole <label> row, so a long
// answer wraps inside its own box and never overlaps the next one; the row is the touch target.
// With `multiple`, the same layout holds checkboxes in a role="group".

let counter = 0;

function render({ model, el }) {
  counter += 1;
  const id = `fa-choices-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "fa-choices";
  el.append(root);

  function emit(list) {
    const chosen = [...list.querySelectorAll("input")].filter((x) => x.checked).map((x) => Number(x.value));
    model.set("selected", chosen);
    model.save_changes();
  }

  function build() {
    root.replaceChildren();
    const multiple = model.get("multiple");
    const label = document.createElement("p");
    label.id = `${id}-label`;
    label.className = "fa-choices-label";
    if (!model.get("label_visible")) label.classList.add("fa-visually-hidden");
    label.textContent = model.get("label");
    root.append(label);
    const list = document.createElement("div");
    list.setAttribute("role", multiple ? "group" : "radiogroup");
    list.setAttribute("aria-labelledby", label.id);
    list.className = `fa-choices-list fa-choices--${model.get("orientation")}`;
    const hint = model.get("hint");
    if (hint) {
      const help = document.createElement("p");
      help.id = `${id}-hint`;
      help.className = "fa-choices-hint";
      help.textContent = hint;
      root.append(help);
      list.setAttribute("aria-describedby", help.id);
    }
    model.get("labels").forEach((text, index) => {
      const option = document.createElement("label");
      option.className = "fa-choice";
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = id;
      input.value = String(index);
      input.className = "fa-choice-input";
      const words = document.createElement("span");
      words.className = "fa-choice-text";
      words.textContent = text;
      option.append(input, words);
      input.addEventListener("change", () => emit(list));
      list.append(option);
    });
    root.append(list);
    sync();
  }

  function sync() {
    const selected = new Set(model.get("selected"));
    const disabled = model.get("disabled");
    for (const input of root.querySelectorAll("input")) {
      input.checked = selected.has(Number(input.value));
      input.disabled = disabled;
      input.parentElement.classList.toggle("fa-choice--selected", input.checked);
    }
  }

  const rebuild = ["change:labels", "change:label", "change:hint", "change:multiple", "change:orientation"];
  rebuild.forEach((name) => model.on(name, build));
  model.on("change:selected", sync);
  model.on("change:disabled", sync);
  model.on("change:label_visible", build);
  build();
  return () => {
    rebuild.forEach((name) => model.off(name, build));
    model.off("change:selected", sync);
    model.off("change:disabled", sync);
    model.off("change:label_visible", build);
  };
}

export default { render };
