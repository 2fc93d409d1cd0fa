/* « Faire avec », light face: what a script adds to pages that already work without it.
 *
 * - The page's answers (its clean address, data-etat) are kept in this browser, so the exercise
 *   opened again from the book comes back where it was left: reprise.js, inline in the head, goes
 *   back to them before anything is drawn. « Oui, tout effacer » (?efface=1) forgets them.
 * - After an answer, the keyboard focus goes to the feedback named by the address (#retour-…), so
 *   that a screen reader reads it and Tab continues from there.
 * - Enter in a choice validates its own question (without this script: the form's first button,
 *   which validates every question that has a choice).
 */
(function () {
  "use strict";
  if (document.documentElement.hasAttribute("data-reprise")) return; // the page is being replaced
  var body = document.body;
  var name = body.getAttribute("data-exercice");
  if (name) {
    var key = "faire-avec:v1:leger:" + name;
    try {
      if (/(^\?|&)efface=1(&|$)/.test(location.search)) {
        localStorage.removeItem(key);
        history.replaceState(null, "", name);
      } else if (body.getAttribute("data-etat")) {
        localStorage.setItem(key, body.getAttribute("data-etat"));
      }
    } catch (error) {
      /* private browsing: the address still holds the answers */
    }
  }
  var wanted = location.hash.slice(1);
  var target = wanted ? document.getElementById(decodeURIComponent(wanted)) : null;
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("input[type=radio], input[type=checkbox]")) return;
    var block = input.closest("[data-bouton]");
    var button = block ? document.getElementById(block.getAttribute("data-bouton")) : null;
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
