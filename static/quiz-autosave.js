// Saves a quiz's changed answers as its draft in the background, every data-autosave-seconds,
// through the form's own draft route (the same fields as « Enregistrer sans valider »). Each
// save is a request, so it keeps the login session alive while the learner works. Without
// this script the page works as before. Leaving the page (another tab, the phone's home
// screen, a link, a reload) saves at once what changed since the last save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var alert = document.getElementById("autosave-alert");
  var seconds = Number(form.getAttribute("data-autosave-seconds")) || 120;
  var changed = false;
  var saving = false;
  var submitting = false;
  var timer = null;

  var EXPIRED =
    "Votre session a expiré : vos réponses n'ont pas pu être enregistrées. " +
    "Copiez-les, ou reconnectez-vous dans un autre onglet avant de valider.";
  var FAILED =
    "L'enregistrement automatique de vos réponses a échoué : il sera retenté. " +
    "Gardez cette page ouverte, ou copiez vos réponses.";
  var SUBMITTED = "Cette tentative est déjà validée : ces réponses ne sont plus enregistrées.";

  function markChanged() {
    changed = true;
  }

  function at(date) {
    var minutes = String(date.getMinutes());
    return date.getHours() + " h " + (minutes.length < 2 ? "0" + minutes : minutes);
  }

  // Each message is written once: writing it again would announce it again.
  function say(where, message) {
    if (where.textContent !== message) where.textContent = message;
  }

  function stop(message) {
    window.clearInterval(timer);
    say(alert, message);
  }

  // `leaving`: the page is being hidden or left; the request outlives it (keepalive) and does
  // not wait for one already on its way, which took the answers as they were before.
  function save(leaving) {
    if (!changed || submitting || (saving && leaving !== true)) return;
    changed = false;
    saving = true;
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      keepalive: leaving === true,
      headers: { "X-Background": "1" }
    })
      .then(function (response) {
        if (response.status === 204) {
          say(alert, "");
          say(status, "Brouillon enregistré à " + at(new Date()) + ".");
          return;
        }
        changed = true;
        if (response.status === 401 || response.type === "opaqueredirect") stop(EXPIRED);
        else if (response.status === 409) stop(SUBMITTED);
        else say(alert, FAILED);
      })
      .catch(function () {
        changed = true; // offline for now: tried again at the next tick
        say(alert, FAILED);
      })
      .then(function () {
        saving = false;
      });
  }

  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  // A button's submit sends the answers itself: nothing left for the background to save.
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearInterval(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
  timer = window.setInterval(save, seconds * 1000);
})();
