// Participants' page. Without this script the page still works: plain forms, an « Actualiser » link.
// With it:
// 1. it asks every 2 s whether the trainer moved on, and reloads the page when so;
// 2. it says at once, at the top of the screen, when the connection to the room is lost, and when
//    it is back;
// 3. every form of the page (a vote, a code to join, any form a new activity adds) is sent in the
//    background: a tap made without connection is kept (in this tab, even across a reload) and sent
//    as soon as the connection is back, the page saying meanwhile that it is not sent yet. The
//    server counts one answer per phone, question and item: a tap that reached it but whose answer
//    was lost on the way back is counted once when it is sent again. A form marked
//    data-envoi="plusieurs" (the questionnaire, a quiz question with several answers) is spoken of
//    as « vos réponses » when its own send button is used;
// 4. after an answer, the keyboard focus stays on the chosen answer (or on the message saying what
//    happened), not at the top of the page.
(function () {
  "use strict";
  var body = document.body;
  var banner = document.getElementById("connexion");
  var delay = parseInt(body.getAttribute("data-delai") || "2000", 10);
  var code = body.getAttribute("data-code");
  var state = body.getAttribute("data-etat");
  var KEPT = "faire-avec:salle:envoi";
  var KEEP_MS = 10 * 60 * 1000; // a tap older than this is not sent after a reload
  var pending = null; // the last tap not answered yet: {path, action, data, label, several, at}
  var sentSeveral = false; // the tap just answered was a whole form (« vos réponses »)
  var sending = false;
  var delayed = false; // the pending tap could not leave at once
  var lost = false; // the last request did not reach the server
  var failures = 0;
  var lastClicked = null;
  var retryTimer = null;
  var quietTimer = null;

  function say(text, kind) {
    if (!banner) return;
    clearTimeout(quietTimer);
    banner.textContent = text;
    banner.className = "connexion" + (kind ? " connexion--" + kind : "");
  }

  function remember() {
    try {
      if (pending) window.sessionStorage.setItem(KEPT, JSON.stringify(pending));
      else window.sessionStorage.removeItem(KEPT);
    } catch (error) {} // storage refused: the tap is still kept while the page stays open
  }

  function restore() {
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      if (kept && kept.path === location.pathname && Date.now() - kept.at < KEEP_MS) return kept;
      window.sessionStorage.removeItem(KEPT);
    } catch (error) {}
    return null;
  }

  // What the form would send, with the tapped button's own name and value.
  function fields(form, submitter) {
    var pairs = [];
    function add(name, value) {
      pairs.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
    }
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || el.disabled || /^(submit|button|reset|file)$/.test(type)) return;
      if ((type === "checkbox" || type === "radio") && !el.checked) return;
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          if (option.selected) add(el.name, option.value);
        });
        return;
      }
      add(el.name, el.value);
    });
    if (submitter && submitter.name) add(submitter.name, submitter.value);
    return pairs.join("&");
  }

  function labelOf(submitter) {
    if (!submitter) return "";
    var label = submitter.querySelector(".libelle") || submitter;
    return label.textContent.replace("✔ votre réponse", "").replace(/\s+/g, " ").trim();
  }

  function mark(submitter, text) {
    var note = document.querySelector(".en-attente");
    if (!note && submitter) {
      note = document.createElement("span");
      note.className = "en-attente";
      (submitter.querySelector(".libelle") || submitter).appendChild(note);
    }
    if (note) note.textContent = text;
  }

  function notSent(several) {
    return several ? "✉ pas encore envoyées" : "✉ pas encore envoyée";
  }

  function waiting() {
    var what = pending.label ? "votre réponse « " + pending.label + " »" : "votre réponse";
    what = pending.several
      ? "vos réponses ne sont pas encore envoyées. Elles partiront toutes seules"
      : what + " n'est pas encore envoyée. Elle partira toute seule";
    say("⚠ Pas de connexion avec la salle : " + what + " dès que la connexion revient. Gardez cette page ouverte.", "perdue");
    mark(null, notSent(pending.several));
  }

  function connectionLost() {
    lost = true;
    failures += 1;
    if (pending) {
      delayed = true;
      waiting();
    } else {
      say("⚠ Pas de connexion avec la salle. Vérifiez le Wi-Fi du téléphone : la page réessaie toute seule.", "perdue");
    }
  }

  function connectionBack() {
    if (!lost) return;
    lost = false;
    failures = 0;
    if (!pending) say("", "");
  }

  function focusAfter(main) {
    var target =
      main.querySelector(".message--erreur") ||
      main.querySelector(".choix--choisi") ||
      main.querySelector(".message") ||
      main.querySelector("h1");
    if (!target) return;
    if (!/^(BUTTON|A|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  function pathOf(url) {
    var link = document.createElement("a");
    link.href = url;
    return link.pathname;
  }

  // The server's answer replaces the page's content in place (no reload, the focus is kept near
  // the tap); a page at another address (the session one joins) is opened as a page. A refusal
  // stays in place, with what the person typed.
  function show(html, url, status) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var fresh = next.getElementById("contenu");
    var main = document.getElementById("contenu");
    var elsewhere = pathOf(url) !== location.pathname;
    if (!fresh || !main || (elsewhere && status < 300)) {
      location.replace(url);
      return;
    }
    main.innerHTML = fresh.innerHTML;
    document.title = next.title;
    if (!elsewhere) {
      state = next.body.getAttribute("data-etat");
      if (state) body.setAttribute("data-etat", state);
      if (window.history && history.replaceState) history.replaceState(null, "", url);
    }
    if (delayed) {
      say("✔ La connexion est revenue : " + (sentSeveral ? "vos réponses sont envoyées." : "votre réponse est envoyée."), "ok");
      quietTimer = setTimeout(function () { say("", ""); }, 6000);
    } else {
      say("", "");
    }
    delayed = false;
    focusAfter(main);
  }

  function send() {
    clearTimeout(retryTimer);
    if (!pending || sending) return;
    var tap = pending;
    sending = true;
    var request = new XMLHttpRequest();
    request.open("POST", tap.action, true);
    request.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    request.timeout = 8000;
    request.onload = function () {
      sending = false;
      connectionBack();
      if (request.status === 429 || request.status === 503) {
        // The room's server is busy: keep the tap, and wait what it asks (at most 30 s).
        var wait = Math.min(30, Math.max(1, parseInt(request.getResponseHeader("Retry-After") || "3", 10) || 3));
        say("Le serveur de la salle est très occupé : votre réponse partira dans " + wait + " s.", "envoi");
        retryTimer = setTimeout(send, wait * 1000);
        return;
      }
      sentSeveral = !!tap.several;
      if (pending === tap) {
        pending = null;
        remember();
      }
      if (pending) {
        send(); // a newer tap: its answer is the page to show
        return;
      }
      show(request.responseText, request.responseURL || location.href, request.status);
    };
    request.onerror = request.ontimeout = function () {
      sending = false;
      connectionLost();
      retryTimer = setTimeout(send, Math.min(delay * (failures + 1), 10000));
    };
    request.send(tap.data);
  }

  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest("button, input[type=submit]") : null;
      if (button) lastClicked = button;
    },
    true
  );

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!window.XMLHttpRequest || !window.DOMParser || (form.method || "").toLowerCase() !== "post") return;
    event.preventDefault();
    var submitter = event.submitter || lastClicked;
    var several = form.getAttribute("data-envoi") === "plusieurs" && !(submitter && submitter.name);
    pending = {
      path: location.pathname,
      action: form.action,
      data: fields(form, submitter),
      label: several ? "" : labelOf(submitter),
      several: several,
      at: Date.now(),
    };
    remember();
    var note = document.querySelector(".en-attente");
    if (note) note.parentNode.removeChild(note);
    mark(submitter, lost ? notSent(several) : "✉ envoi…");
    if (lost) {
      delayed = true;
      waiting();
    } else {
      say(several ? "Envoi de vos réponses…" : "Envoi de votre réponse…", "envoi");
    }
    send();
  });

  window.addEventListener("offline", connectionLost);
  window.addEventListener("online", function () {
    failures = 0;
    send();
    check();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!pending) return;
    event.preventDefault(); // the browser asks before leaving: a tap is still waiting to be sent
    event.returnValue = "";
  });

  var polling = null;
  var refused = false; // the last check was answered with a refusal (shown in the banner)
  function check() {
    clearTimeout(polling);
    if (!code || !state || state.indexOf(":fin") >= 0) return;
    if (document.hidden) {
      polling = setTimeout(check, delay);
      return;
    }
    var request = new XMLHttpRequest();
    request.open("GET", "/api/s/" + code + "/etat", true);
    request.timeout = 5000;
    request.onload = function () {
      var answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch (error) {
        answer = null;
      }
      connectionBack();
      if (request.status === 200 && answer && answer.etat) {
        if (refused && !pending) say("", "");
        refused = false;
        if (pending) send();
        else if (answer.etat !== state) {
          window.location.replace("/s/" + code);
          return;
        }
      } else if (answer && answer.erreur) {
        refused = true;
        say(answer.erreur, "envoi");
        if (request.status === 404) return;
        // Too many requests, or a busy server: wait what the server asks (at most 30 s), then try again.
        var wait = parseInt(request.getResponseHeader("Retry-After") || "0", 10);
        if (request.status === 429 || request.status === 503) {
          polling = setTimeout(check, Math.min(30000, Math.max(delay, wait * 1000 || delay * 2)));
          return;
        }
      }
      polling = setTimeout(check, delay);
    };
    request.onerror = request.ontimeout = function () {
      connectionLost();
      polling = setTimeout(check, Math.min(delay * (failures + 1), 10000));
    };
    request.send();
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) failures = 0;
  });
  pending = restore();
  if (pending) {
    delayed = true;
    say(pending.several ? "Envoi de vos réponses gardées…" : "Envoi de votre réponse gardée…", "envoi");
    send();
  }
  if (!navigator.onLine) connectionLost();
  polling = setTimeout(check, delay);
})();
