// A typed field for « Faire avec » (anywidget front end, served with the page: no CDN).
//
// Why not ipywidgets' Text: it has no `inputmode`, so a phone opens a letter keyboard for a rent or an
// age, and its error message cannot be tied to the input. Here a native <input> has a real <label>,
// the keyboard the field needs (`inputmode`: "decimal" for euros and hours, "numeric" for ages), a
// help line saying what it expects (aria-describedby), and its error right under it (role="alert",
// aria-invalid, also in aria-describedby). The value is sent to Python when the learner has
// finished (Enter or leaving the field), never for a partial number: typing 520 does not send 5, then 52.

let counter = 0;

function render({ model, el }) {
  counter += 1;
  const id = `fa-field-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = document.createElement("div");
  root.className = "fa-field";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "fa-field-label";
  const hint = document.createElement("p");
  hint.id = `${id}-hint`;
  hint.className = "fa-field-hint";
  const input = document.createElement("input");
  input.type = "text";
  input.id = id;
  input.className = "fa-field-input";
  input.autocomplete = "off";
  input.spellcheck = false;
  const error = document.createElement("div");
  error.id = `${id}-error`;
  error.className = "fa-field-error";
  root.append(label, hint, input, error);
  el.append(root);

  function commit() {
    if (input.value !== model.get("value")) {
      model.set("value", input.value);
      model.save_changes();
    }
  }

  function describe() {
    const ids = [];
    if (model.get("hint")) ids.push(hint.id);
    if (model.get("error")) ids.push(error.id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function sync() {
    label.textContent = model.get("label");
    hint.textContent = model.get("hint");
    hint.hidden = !model.get("hint");
    input.placeholder = model.get("placeholder");
    input.setAttribute("inputmode", model.get("inputmode"));
    input.disabled = model.get("disabled");
    root.classList.toggle("fa-field--long", model.get("width") === "long");
    describe();
  }

  function showValue() {
    input.value = model.get("value");
  }

  // Rebuilt only when the message changes, so that the alert is read once.
  function showError() {
    const message = model.get("error");
    error.replaceChildren();
    if (message) {
      const card = document.createElement("div");
      card.className = "faire-message faire-message--error";
      card.setAttribute("role", "alert");
      card.textContent = message;
      error.append(card);
    }
    input.setAttribute("aria-invalid", message ? "true" : "false");
    describe();
  }

  input.addEventListener("change", commit);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") commit();
  });
  const looks = ["change:label", "change:hint", "change:placeholder", "change:inputmode", "change:disabled", "change:width"];
  looks.forEach((name) => model.on(name, sync));
  model.on("change:value", showValue);
  model.on("change:error", showError);
  sync();
  showValue();
  showError();
  return () => {
    looks.forEach((name) => model.off(name, sync));
    model.off("change:value", showValue);
    model.off("change:error", showError);
  };
}

export default { render };
