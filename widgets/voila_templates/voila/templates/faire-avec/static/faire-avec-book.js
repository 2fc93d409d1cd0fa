/* « Faire avec » — what only the book's pages need (loaded by _config.yml, html_js_files).
 *
 * A table wider than the screen (chapter 4's tables on a 360 px phone) scrolls inside the box the
 * theme puts around it: without a word, its last column looked cut. Each such box becomes a named
 * region (« Tableau : … ») that the keyboard reaches (the arrow keys then scroll it), with a visible
 * hint above it; when the table fits again (a phone turned, a wider screen), the hint goes away.
 * The check runs when the page opens and after each change of width.
 */
(function () {
  "use strict";
  var HINT = "↔ Ce tableau est plus large que l'écran : faites-le glisser vers la gauche pour voir la suite.";

  function title(table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent : "";
    if (!text.trim()) {
      var heads = table.querySelectorAll("thead th");
      text = Array.prototype.map.call(heads, function (th) {
        return th.textContent.trim();
      }).join(", ");
    }
    return text.replace(/\s+/g, " ").trim();
  }

  function mark(box) {
    var table = box.querySelector("table");
    if (!table) return;
    var hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("faire-table-hint")) {
      hint = document.createElement("p");
      hint.className = "faire-table-hint";
      hint.setAttribute("aria-hidden", "true"); // the region's name says the same to a screen reader
      hint.textContent = HINT;
      box.parentNode.insertBefore(hint, box);
    }
    var wide = box.scrollWidth > box.clientWidth + 1;
    hint.hidden = !wide;
    if (wide) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tableau : " + title(table) + ". Il défile de gauche à droite.");
      box.tabIndex = 0;
    } else {
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function markAll() {
    document.querySelectorAll("article .pst-scrollable-table-container").forEach(mark);
  }

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(markAll, 200);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markAll);
  else markAll();
  window.addEventListener("load", markAll); // again once the icons' font has changed the widths
})();
