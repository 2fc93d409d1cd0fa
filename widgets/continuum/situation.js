// The situation on screen in « Où se situe cette situation ? » (anywidget front end, served with
// the page: no CDN): its heading and its text.
//
// Why a widget of its own rather than an HTML box: when the learner moves to another situation
// (« Situation suivante » or « précédente »), the new situation replaces the old one where the
// learner is not looking — above the button, off a phone's screen — and the keyboard focus stayed on
// the button. Each `focus_request` from the kernel therefore puts the focus on the new heading (a
// screen reader reads it), scrolls it to the top of the screen, and empties the page's live region
// (#fa-live), which still held the feedback on the previous situation.

function render({ model, el }) {
  const title = document.createElement("h2");
  title.className = "fa-situation-title";
  title.tabIndex = -1; // focusable by the page, not a Tab stop
  const text = document.createElement("p");
  text.className = "fa-lead fa-situation-text";
  el.append(title, text);

  const show = () => {
    title.textContent = model.get("heading");
    text.textContent = model.get("text");
  };
  const bringIntoView = () => {
    show();
    const live = document.getElementById("fa-live");
    if (live) live.textContent = "";
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  };
  model.on("change:heading", show);
  model.on("change:text", show);
  model.on("change:focus_request", bringIntoView);
  show();
  return () => {
    model.off("change:heading", show);
    model.off("change:text", show);
    model.off("change:focus_request", bringIntoView);
  };
}

export default { render };
