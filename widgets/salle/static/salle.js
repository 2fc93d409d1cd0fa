// Participants' page: refresh when the trainer moves on; say so in French when the connection drops.
// Without this script the page still works (forms and an « Actualiser » link).
(function () {
  "use strict";
  var body = document.body;
  var code = body.getAttribute("data-code");
  var state = body.getAttribute("data-etat");
  var delay = parseInt(body.getAttribute("data-delai") || "2000", 10);
  var status = document.getElementById("connexion");
  var failures = 0;

  // One tap is enough: a second tap while the page loads must not look like nothing happened.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.envoi) { event.preventDefault(); return; }
      form.dataset.envoi = "1";
      form.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      if (status) { status.textContent = "Envoi de votre réponse…"; }
    });
  });

  if (!code || !state || state.indexOf(":fin") >= 0) { return; }

  function check() {
    if (document.hidden) { setTimeout(check, delay); return; }
    var request = new XMLHttpRequest();
    request.open("GET", "/api/s/" + code + "/etat", true);
    request.timeout = 8000;
    request.onload = function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
      if (request.status === 200 && answer && answer.etat) {
        failures = 0;
        if (status) { status.textContent = ""; }
        if (answer.etat !== state) { window.location.replace("/s/" + code); return; }
      } else if (answer && answer.erreur) {
        if (status) { status.textContent = answer.erreur; }
        if (request.status === 404) { return; }
        // Too many requests, or a busy server: wait what the server asks (at most 30 s), then try again.
        var wait = parseInt(request.getResponseHeader("Retry-After") || "0", 10);
        if (request.status === 429 || request.status === 503) {
          setTimeout(check, Math.min(30000, Math.max(delay, wait * 1000 || delay * 2)));
          return;
        }
      }
      setTimeout(check, delay);
    };
    request.onerror = request.ontimeout = function () {
      failures += 1;
      if (status) { status.textContent = "Connexion perdue avec la salle : nouvel essai dans quelques secondes…"; }
      setTimeout(check, Math.min(delay * (failures + 1), 10000));
    };
    request.send();
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { failures = 0; } });
  setTimeout(check, delay);
})();
