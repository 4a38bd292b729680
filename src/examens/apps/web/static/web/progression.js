// Progression des travaux d'édition : interroge le serveur toutes les deux secondes tant qu'un travail
// est en attente ou en cours, et met à jour la barre et le texte (annoncé aux lecteurs d'écran).
(function () {
  "use strict";
  var barres = Array.prototype.slice.call(document.querySelectorAll("progress[data-progression-url]"));
  function actif(barre) {
    var statut = barre.getAttribute("data-statut");
    return statut === "en_attente" || statut === "en_cours";
  }
  function rafraichir() {
    var encore = false;
    barres.filter(actif).forEach(function (barre) {
      encore = true;
      fetch(barre.getAttribute("data-progression-url"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) { return; }
          var id = barre.id.replace("progression-", "");
          barre.value = d.pourcentage;
          barre.textContent = d.pourcentage + " %";
          barre.setAttribute("data-statut", d.statut);
          document.getElementById("texte-progression-" + id).textContent =
            d.fait + "/" + d.total + " (" + d.pourcentage + " %)";
          document.getElementById("statut-" + id).textContent = d.statut_libelle;
        });
    });
    if (encore) { window.setTimeout(rafraichir, 2000); }
  }
  window.setTimeout(rafraichir, 2000);
})();
