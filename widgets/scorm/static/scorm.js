// « Faire avec » — a chapter's SCORM 1.2 module: the self-check, and what the LMS is told.
//
// Everything the learner reads was written by the course beforehand (widgets/scorm/selfcheck.py): for
// each possible choice, the verdict and the feedback card of the live exercise. This script only
// looks the choice up, keeps the answers, and talks to the LMS through the SCORM 1.2 API:
//
// * the API object is looked for as the SCORM 1.2 run-time specification says: in this window and
//   its parents (at most 7 levels), then in the window that opened this one and its parents;
// * LMSInitialize at load; cmi.core.lesson_status goes from « not attempted » to « incomplete », and
//   to « completed » once every question has been validated; cmi.core.score.raw is then the share of
//   right answers out of 100 (score.min 0, score.max 100), updated if the learner validates again;
// * the answers are kept in cmi.suspend_data, so a learner who comes back finds them; LMSCommit after
//   each change; at the end (page hidden or closed) cmi.core.session_time, cmi.core.exit, LMSFinish.
//
// Without an LMS (the file opened from a USB stick) everything works the same and the page says so;
// the answers then stay in this browser (localStorage), as in the live exercises.
(function () {
  "use strict";

  var MAX_PARENTS = 7;
  var NNBSP = "\u202f"; // French spacing before « : » (widgets/fr.py typography), never a line break there
  var dataNode = document.getElementById("sco-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : { chapter: "", questions: [], scores: {}, empty: "" };
  var questions = {};
  data.questions.forEach(function (q) { questions[q.id] = q; });
  var cards = Array.prototype.slice.call(document.querySelectorAll(".sco-question"));
  var scoreBox = document.querySelector(".sco-score");
  var lmsLine = document.getElementById("sco-lms");
  var announcer = document.getElementById("sco-annonce");
  var storageKey = "faire-avec-scorm:" + data.chapter;
  var started = Date.now();
  var state = { choix: {}, valide: {} }; // question id → chosen indices; question id → validated choice key
  var finished = false;

  // ------------------------------------------------------------------------------------------ the LMS
  function apiIn(win) {
    var tries = 0;
    try {
      while (!win.API && win.parent && win.parent !== win && tries < MAX_PARENTS) {
        tries += 1;
        win = win.parent;
      }
      return win.API || null;
    } catch (error) {
      return null; // a window of another site: its API is not ours to use
    }
  }

  function findAPI() {
    var api = apiIn(window);
    try {
      if (!api && window.opener) { api = apiIn(window.opener); }
      if (!api && window.top && window.top.opener) { api = apiIn(window.top.opener); }
    } catch (error) {
      api = null;
    }
    return api;
  }

  var api = findAPI();
  var connected = false;

  function say(text) {
    lmsLine.textContent = text;
  }

  function get(name) {
    return connected ? String(api.LMSGetValue(name)) : "";
  }

  function set(name, value) {
    if (!connected) { return false; }
    if (String(api.LMSSetValue(name, value)) !== "true") {
      say("La plateforme de formation a refusé une information (code " + api.LMSGetLastError() + ")" + NNBSP +
          ": votre résultat risque de ne pas être enregistré. Prévenez la personne qui anime la formation.");
      return false;
    }
    return true;
  }

  function commit() {
    if (connected && String(api.LMSCommit("")) !== "true") {
      say("La plateforme de formation n'a pas enregistré vos dernières réponses. Vérifiez votre connexion, " +
          "puis validez de nouveau une question.");
    }
  }

  if (api) {
    try {
      connected = String(api.LMSInitialize("")) === "true";
    } catch (error) {
      connected = false;
    }
    if (connected) {
      say("Vous êtes sur votre plateforme de formation" + NNBSP + ": elle enregistre votre avancée et le résultat de " +
          "l'auto-évaluation.");
    } else {
      say("La plateforme de formation ne répond pas" + NNBSP + ": elle n'enregistrera pas vos réponses. Vous pouvez " +
          "quand même lire le chapitre et répondre.");
    }
  } else {
    say("Vous lisez ce module en dehors d'une plateforme de formation" + NNBSP + ": tout fonctionne, mais aucun " +
        "résultat n'est envoyé. Vos réponses restent dans ce navigateur.");
  }

  // ------------------------------------------------------------------------------------ the answers
  function feedbackFor(id, key) {
    // What the LMS or the browser gives back is not trusted: only a choice the course judged is shown.
    var question = Object.prototype.hasOwnProperty.call(questions, id) ? questions[id] : null;
    return question && Object.prototype.hasOwnProperty.call(question.feedback, key) ? question.feedback[key] : null;
  }

  function checked(card) {
    return Array.prototype.slice.call(card.querySelectorAll("input"))
      .filter(function (input) { return input.checked; })
      .map(function (input) { return Number(input.value); });
  }

  function counts() {
    var done = 0;
    var good = 0;
    Object.keys(state.valide).forEach(function (id) {
      var answer = feedbackFor(id, state.valide[id]);
      if (answer) {
        done += 1;
        if (answer.correct) { good += 1; }
      }
    });
    return { done: done, good: good, total: data.questions.length };
  }

  function showScore() {
    var c = counts();
    if (scoreBox && data.scores[c.done + "," + c.good]) { scoreBox.innerHTML = data.scores[c.done + "," + c.good]; }
  }

  function save() {
    var text = JSON.stringify(state);
    if (connected) {
      set("cmi.suspend_data", text);
    } else {
      try { window.localStorage.setItem(storageKey, text); } catch (error) { /* private mode: nothing kept */ }
    }
  }

  function report() {
    var c = counts();
    save();
    if (!connected) { return; }
    if (c.total && c.done === c.total) {
      var raw = Math.round((100 * c.good) / c.total);
      var stored = set("cmi.core.score.min", "0") && set("cmi.core.score.max", "100") &&
        set("cmi.core.score.raw", String(raw)) && set("cmi.core.lesson_status", "completed");
      if (stored) {
        say("Auto-évaluation terminée" + NNBSP + ": votre plateforme de formation a noté ce module comme " +
            "terminé, avec " + c.good + " bonne" + (c.good > 1 ? "s" : "") + " réponse" + (c.good > 1 ? "s" : "") +
            " sur " + c.total + " (score" + NNBSP + ": " + raw + " sur 100).");
      }
    }
    commit();
  }

  function announce(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var card = holder.firstElementChild;
    var text = card ? card.getAttribute("data-fa-say") || card.textContent : "";
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function markSelected(card) {
    card.querySelectorAll("input").forEach(function (input) {
      input.parentElement.classList.toggle("fa-choice--selected", input.checked);
    });
  }

  function showFeedback(card, key, speak) {
    var answer = feedbackFor(card.getAttribute("data-question"), key);
    var box = card.querySelector(".sco-feedback");
    if (!answer) {
      box.innerHTML = data.empty; // role="alert": read at once
      return false;
    }
    box.innerHTML = answer.html;
    if (speak) { announce(answer.html); }
    return true;
  }

  cards.forEach(function (card) {
    var id = card.getAttribute("data-question");
    card.addEventListener("change", function () {
      state.choix[id] = checked(card);
      markSelected(card);
      save();
      commit();
    });
    card.querySelector(".sco-validate").addEventListener("click", function () {
      var chosen = checked(card);
      if (!chosen.length) {
        showFeedback(card, "", false);
        return;
      }
      var key = chosen.slice().sort(function (a, b) { return a - b; }).join(",");
      if (showFeedback(card, key, true)) {
        state.valide[id] = key;
        showScore();
        report();
      }
    });
  });

  // ------------------------------------------------------------------- coming back to the module
  function restore(text) {
    var kept;
    try { kept = JSON.parse(text || "{}"); } catch (error) { return; }
    if (!kept || typeof kept !== "object") { return; }
    var choix = kept.choix && typeof kept.choix === "object" ? kept.choix : {};
    var valide = kept.valide && typeof kept.valide === "object" ? kept.valide : {};
    cards.forEach(function (card) {
      var id = card.getAttribute("data-question");
      var question = questions[id];
      var picks = Array.isArray(choix[id]) ? choix[id] : [];
      var inputs = card.querySelectorAll("input");
      picks.forEach(function (index) {
        if (typeof index === "number" && inputs[index]) { inputs[index].checked = true; }
      });
      if (question && !question.multiple && checked(card).length > 1) {
        inputs.forEach(function (input) { input.checked = false; }); // not a choice this question allows
      }
      state.choix[id] = checked(card);
      markSelected(card);
      if (typeof valide[id] === "string" && feedbackFor(id, valide[id])) {
        state.valide[id] = valide[id];
        showFeedback(card, valide[id], false);
      }
    });
    showScore();
  }

  if (connected) {
    restore(get("cmi.suspend_data"));
    var status = get("cmi.core.lesson_status");
    if (status === "not attempted" || status === "") {
      set("cmi.core.lesson_status", data.questions.length ? "incomplete" : "completed");
    }
    commit();
  } else {
    try { restore(window.localStorage.getItem(storageKey)); } catch (error) { /* storage refused */ }
  }

  // ------------------------------------------------------------------------------------- the end
  function sessionTime() {
    var seconds = Math.max(0, Math.round((Date.now() - started) / 1000));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }

  function finish() {
    if (!connected || finished) { return; }
    finished = true;
    var c = counts();
    set("cmi.core.session_time", sessionTime());
    set("cmi.core.exit", c.total && c.done === c.total ? "" : "suspend");
    commit();
    api.LMSFinish("");
  }

  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
