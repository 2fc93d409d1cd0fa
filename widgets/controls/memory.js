// Keeps an exercise's answers in this browser (localStorage), never on the server.
//
// At start the stored answers (if any) are sent once to the kernel through `restored`; afterwards
// every new `saved` value from the kernel is written back, and an empty one erases the key
// (« Tout recommencer »). Nothing else is stored, and nothing leaves the browser but what the
// exercise itself would receive from the learner's clicks.

function storage() {
  try {
    return window.localStorage;
  } catch (error) {
    return null; // private mode or storage disabled: the exercise still works, it just forgets
  }
}

function initialize({ model }) {
  const store = storage();
  const key = model.get("key");
  if (!store || !key) return;
  const stored = store.getItem(key);
  if (stored) {
    model.set("restored", stored);
    model.save_changes();
  }
  const write = () => {
    const value = model.get("saved");
    try {
      if (value) store.setItem(key, value);
      else store.removeItem(key);
    } catch (error) {
      // storage full: keep working without memory
    }
  };
  model.on("change:saved", write);
  return () => model.off("change:saved", write);
}

function render({ el }) {
  el.hidden = true;
}

export default { initialize, render };
