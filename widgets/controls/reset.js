// « Tout recommencer » with a confirmation, and the keyboard focus always kept somewhere sensible:
// on « Non, garder mes réponses » when the question appears, back on « Tout recommencer » after
// either answer. Escape answers « Non ».

function button(text, kind) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `fa-button fa-button--${kind}`;
  b.textContent = text;
  return b;
}

let counter = 0;

function render({ model, el }) {
  counter += 1;
  const root = document.createElement("div");
  root.className = "fa-reset";
  const ask = button("Tout recommencer", "secondary");
  const box = document.createElement("div");
  box.className = "fa-reset-confirm";
  box.setAttribute("role", "group");
  const question = document.createElement("p");
  question.id = `fa-reset-question-${counter}`;
  question.className = "fa-reset-question";
  box.setAttribute("aria-labelledby", question.id);
  const yes = button("Oui, tout effacer", "danger");
  const no = button("Non, garder mes réponses", "secondary");
  box.append(question, yes, no);
  box.hidden = true;
  root.append(ask, box);
  el.append(root);

  const describe = () => {
    question.textContent = `Effacer ${model.get("what")} ?`;
  };
  const close = () => {
    box.hidden = true;
    ask.hidden = false;
    ask.focus();
  };
  ask.addEventListener("click", () => {
    ask.hidden = true;
    box.hidden = false;
    no.focus();
  });
  no.addEventListener("click", close);
  yes.addEventListener("click", () => {
    model.send({ type: "reset" });
    close();
    const live = document.getElementById("fa-live");
    if (live) live.textContent = "Tout est effacé. Vous pouvez recommencer.";
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  model.on("change:what", describe);
  describe();
  return () => model.off("change:what", describe);
}

export default { render };
