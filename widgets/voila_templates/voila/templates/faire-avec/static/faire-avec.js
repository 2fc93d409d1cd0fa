/* « Faire avec »: what every exercise page needs beyond its widgets (loaded once by the template).
 *
 * 1. « Mode projecteur »: one switch (aria-pressed) for large type and the full width of the screen,
 *    remembered in this browser for the next exercise.
 * 2. The keyboard focus is never lost: when the focused control disappears or is disabled (for
 *    example « Situation suivante » on the last situation), the focus moves to the nearest control
 *    still usable before it (or after it), instead of falling back to the top of the page.
 * 3. No tooltip says « null »: ipywidgets writes title="null" when a control has no tooltip.
 * 4. Each feedback card is read aloud once: a card (class faire-message) that appears just after the
 *    learner's action is copied into the page's one live region (#fa-live), or its data-fa-say text
 *    when the card is long. Errors are role="alert" and read by that role alone, so never twice.
 *    Cards redrawn without an action (page load, answers restored) are not read, nor cards inside
 *    [data-fa-quiet] (feedback shown again on coming back to a question already answered).
 * 5. The widgets' own placeholders in French: the widget manager writes « Loading widget... » in
 *    each exercise while it loads (and an English error if a widget is lost); the text is replaced
 *    as it is written, before the page is painted, so no one reads the English.
 * 6. An exercise whose view asks for it (a .fa-fold-intro mark in its output) folds its intro under
 *    « Consigne de l'exercice » on a phone and in « Mode projecteur »: the title stays, the
 *    paragraphs after it go into a <details>, so that the exercise itself starts on the first screen.
 *    On a wider screen the <details> is open. Done as soon as the front end has drawn the cells
 *    (they are drawn by Voilà's scripts, not sent as HTML), before that frame is painted.
 */
(function () {
  "use strict";
  var PROJECTOR_KEY = "faire-avec:projecteur";
  var root = document.documentElement;

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(PROJECTOR_KEY, "oui");
      else window.localStorage.removeItem(PROJECTOR_KEY);
    } catch (error) {}
  }

  function setupProjector() {
    var toggle = document.querySelector(".fa-projector-toggle");
    if (!toggle) return;
    var show = function () {
      var on = root.classList.contains("fa-projector");
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      var on = !root.classList.contains("fa-projector");
      root.classList.toggle("fa-projector", on);
      remember(on);
      show();
      window.dispatchEvent(new Event("resize")); // charts redraw for the new width
    });
    show();
  }

  var FOCUSABLE = "button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex='-1'])";
  var lastFocused = null;

  function usable(el) {
    return (
      el.isConnected &&
      !el.disabled &&
      !el.closest("[hidden], [inert]") &&
      el.getClientRects().length > 0 &&
      getComputedStyle(el).visibility !== "hidden"
    );
  }

  function rescue(lost) {
    var all = Array.prototype.slice.call(document.querySelectorAll(FOCUSABLE));
    var before = null;
    var after = null;
    for (var i = 0; i < all.length; i += 1) {
      var el = all[i];
      if (el === lost || !usable(el)) continue;
      if (lost.isConnected && lost.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
        if (!after) after = el;
      } else {
        before = el;
      }
    }
    var target = before || after;
    if (target) target.focus();
  }

  function checkFocus() {
    if (!lastFocused || usable(lastFocused)) return;
    var active = document.activeElement;
    if (active && active !== document.body && active !== lastFocused && usable(active)) return;
    var lost = lastFocused;
    lastFocused = null;
    rescue(lost);
  }

  document.addEventListener("focusin", function (event) {
    lastFocused = event.target;
  });

  function cleanTitles(scope) {
    var nulls = (scope || document).querySelectorAll('[title="null"], [title=""]');
    for (var i = 0; i < nulls.length; i += 1) nulls[i].removeAttribute("title");
  }

  var lastAction = 0;
  ["click", "keydown", "change", "input"].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        lastAction = Date.now();
      },
      true
    );
  });
  var spoken = new WeakMap();
  var queue = [];
  var speakTimer = null;

  function speak(text) {
    var live = document.getElementById("fa-live");
    if (!live) return;
    queue.push(text);
    clearTimeout(speakTimer);
    speakTimer = setTimeout(function () {
      live.textContent = "";
      var words = queue.join(" ");
      queue = [];
      setTimeout(function () {
        live.textContent = words;
      }, 60);
    }, 150);
  }

  function announceCards(records) {
    if (Date.now() - lastAction > 4000) return;
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        var cards = node.matches(".faire-message") ? [node] : node.querySelectorAll(".faire-message");
        Array.prototype.forEach.call(cards, function (card) {
          if (card.getAttribute("role") === "alert" || card.closest("[hidden], [data-fa-quiet]")) return;
          var text = (card.getAttribute("data-fa-say") || card.textContent || "").trim();
          if (!text || spoken.get(card) === text) return;
          spoken.set(card, text);
          speak(text);
        });
      });
    });
  }

  // Block 5 (issue 18): the exact texts of @jupyter-widgets' WidgetRenderer (Voilà 0.5, ipywidgets 8).
  var FRENCH = {
    "Loading widget...": "Chargement de l'exercice…",
    "Error displaying widget: model not found": "Cette partie de l'exercice ne s'affiche pas : rechargez la page.",
  };

  function frenchPlaceholders(records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        var text = node.nodeType === 3 ? node : node.nodeType === 1 && node.childNodes.length === 1 ? node.firstChild : null;
        if (text && text.nodeType === 3 && Object.prototype.hasOwnProperty.call(FRENCH, text.data)) {
          text.data = FRENCH[text.data];
        }
      });
    });
  }

  var pending = false;
  new MutationObserver(function (records) {
    frenchPlaceholders(records);
    foldIntro();
    announceCards(records);
    if (pending) return;
    pending = true;
    // After the widgets have finished this round of changes, not in the middle of it.
    window.requestAnimationFrame(function () {
      pending = false;
      cleanTitles();
      checkFocus();
    });
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["disabled", "hidden", "style", "class", "title"],
  });

  // A responsive plotly chart follows its column's width, but after a resize plotly sizes its box
  // from the parent's height, which is 0 in an output area: the chart would spill over what follows
  // (seen when a window turns, or the projector mode widens the page). Keep each chart's own height.
  function keepChartHeights() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (chart) {
      var height = chart._fullLayout && chart._fullLayout.height;
      // « height », not « min-height »: the output area shows a chart as a table cell, which ignores min-height.
      if (height && chart.style.height !== height + "px") chart.style.height = height + "px";
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    keepChartHeights();
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(keepChartHeights, 400);
  });
  document.addEventListener("plotly_afterplot", keepChartHeights, true);

  // Block 6 (issue 18): the intro folds where the screen is short for it.
  var SMALL_SCREEN = window.matchMedia("(max-width: 40em)");
  var introFolded = false;

  function foldIntro() {
    if (introFolded || !document.querySelector(".fa-fold-intro")) return;
    var title = document.querySelector("#rendered_cells .jp-RenderedMarkdown h1");
    if (!title || !title.nextElementSibling) return;
    var details = document.createElement("details");
    details.className = "fa-intro";
    var summary = document.createElement("summary");
    summary.textContent = "Consigne de l'exercice";
    details.appendChild(summary);
    while (title.nextSibling) details.appendChild(title.nextSibling);
    title.parentNode.appendChild(details);
    details.open = !(SMALL_SCREEN.matches || root.classList.contains("fa-projector"));
    introFolded = true;
  }

  function followProjector() {
    var intro = document.querySelector(".fa-intro");
    if (intro) intro.open = !(SMALL_SCREEN.matches || root.classList.contains("fa-projector"));
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".fa-projector-toggle")) window.setTimeout(followProjector, 0);
  });

  // The template loads this file right after the switch: it works while the exercise is still loading.
  if (document.querySelector(".fa-projector-toggle")) setupProjector();
  else document.addEventListener("DOMContentLoaded", setupProjector);
})();
