"""Générateur d'instances de centre réalistes (BTS NDRC 2022), reproductible par sa graine.

Catégorie C (tout en ponctuel) : E2, E4, E5B, E6 (+ engagement étudiant), LV2 facultative ;
catégorie A (CCF pour E2, E4, E6 ; l'engagement suit l'E6 dans l'établissement) : E5B et LV2 éventuelle
(*Règlement* §2). Les commissions, places de loge et postes sont dimensionnés sur la demande × `marge` :
avec la marge par défaut (1,3) le centre est faisable ; en dessous de 1 il ne l'est pas.
"""

from __future__ import annotations

import importlib.metadata
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from examens.planning.formats import (
    Candidat,
    Commission,
    Epreuve,
    Examinateur,
    Instance,
    Jour,
    Loge,
    Plage,
    Regles,
    Sujet,
    Support,
)

EPREUVES = {
    "E2": Epreuve("E2", preparation=30, duree=30, langue=True),
    "LV2": Epreuve("LV2", preparation=20, duree=20, langue=True),
    "E4": Epreuve("E4", preparation=40, duree=60),
    "E5B": Epreuve("E5B", preparation=0, duree=40, poste=True, sujet=True),
    "E6": Epreuve("E6", preparation=0, duree=40),
    "ENGAGEMENT": Epreuve("ENGAGEMENT", preparation=0, duree=20, suit="E6"),
}
LANGUES_E2 = (("anglais", 0.85), ("espagnol", 0.10), ("allemand", 0.05))
LANGUES_LV2 = (("espagnol", 0.55), ("allemand", 0.25), ("italien", 0.12), ("anglais", 0.08))


@dataclass(frozen=True, slots=True)
class Parametres:
    candidats: int = 150
    jours: int = 3
    graine: int = 1
    marge: float = 1.3
    premier_jour: str = "2022-05-30"
    part_categorie_c: float = 0.6
    part_lv2: float = 0.25
    part_engagement: float = 0.4
    part_majoration: float = 0.03
    part_arrivee_tardive: float = 0.05
    candidats_par_etablissement: int = 25
    part_disponibilite_partielle: float = 0.2


def version() -> str:
    try:
        return importlib.metadata.version("examens")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - exécution hors installation
        return "inconnue"


def _tirer(alea: random.Random, lois: tuple[tuple[str, float], ...]) -> str:
    return alea.choices([nom for nom, _ in lois], weights=[p for _, p in lois])[0]


def generer_centre(parametres: Parametres) -> Instance:
    p = parametres
    if p.candidats < 1 or p.jours < 1 or p.marge <= 0:
        raise ValueError("il faut au moins un candidat, un jour et une marge positive")
    alea = random.Random(p.graine)
    import datetime as dt

    premier = dt.date.fromisoformat(p.premier_jour)
    dates: list[str] = []
    jour = premier
    while len(dates) < p.jours:
        if jour.weekday() < 5:
            dates.append(jour.isoformat())
        jour += dt.timedelta(days=1)
    plages = (Plage(8 * 60, 12 * 60), Plage(13 * 60, 18 * 60))
    jours = tuple(Jour(d, plages) for d in dates)

    nb_etablissements = max(2, math.ceil(p.candidats / p.candidats_par_etablissement))
    etablissements = [f"0630{i:03d}{'ABCDEFGHJK'[i % 10]}" for i in range(1, nb_etablissements + 1)]
    # des examinateurs viennent d'établissements qui ne présentent pas de candidats dans ce centre
    exterieurs = [f"0631{i:03d}{'ABCDEFGHJK'[i % 10]}" for i in range(1, nb_etablissements + 4)]

    candidats = []
    for i in range(p.candidats):
        categorie_c = alea.random() < p.part_categorie_c
        epreuves = ["E2", "E4", "E5B", "E6"] if categorie_c else ["E5B"]
        langues = {}
        if categorie_c:
            langues["E2"] = _tirer(alea, LANGUES_E2)
            if alea.random() < p.part_engagement:
                epreuves.append("ENGAGEMENT")
        sur_un_jour = p.jours == 1 and len([e for e in epreuves if e != "ENGAGEMENT"]) >= 4
        if alea.random() < p.part_lv2 and not sur_un_jour:  # 5 passages : deux jours au moins
            epreuves.append("LV2")
            lv2 = _tirer(alea, LANGUES_LV2)
            while lv2 == langues.get("E2"):
                lv2 = _tirer(alea, LANGUES_LV2)
            langues["LV2"] = lv2
        individuel = categorie_c and alea.random() < 0.1
        candidats.append(
            Candidat(
                id=f"22-{i + 1:06d}",
                epreuves=tuple(epreuves),
                etablissement=None if individuel else alea.choice(etablissements),
                langues=langues,
                majoration=alea.random() < p.part_majoration,
                arrivee=10 * 60 if alea.random() < p.part_arrivee_tardive else None,
            )
        )

    # Demande par groupe de commissions (minutes d'épreuve, tiers-temps compris)
    demande: dict[tuple[tuple[str, ...], str | None], int] = defaultdict(int)
    for c in candidats:
        for code in c.epreuves:
            e = EPREUVES[code]
            duree = math.ceil(e.duree * 4 / 3 / 5) * 5 if c.majoration and e.poste else e.duree
            if code in ("E6", "ENGAGEMENT"):
                demande[(("E6", "ENGAGEMENT"), None)] += duree
            elif e.langue:
                demande[(("E2", "LV2"), c.langues[code])] += duree
            else:
                demande[((code,), None)] += duree

    examinateurs: list[Examinateur] = []
    commissions: list[Commission] = []

    def examinateur(etablissement: str | None) -> str:
        ident = f"X{len(examinateurs) + 1:03d}"
        examinateurs.append(Examinateur(ident, etablissement))
        return ident

    minutes_jour = sum(pl.minutes for pl in plages)
    for (groupe, langue), minutes in sorted(demande.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        codes = groupe
        if langue is not None:
            # une commission de langue ne liste que les épreuves que des candidats passent dans cette langue
            codes = tuple(code for code in groupe if any(c.langues.get(code) == langue for c in candidats))
        perte = 0.8 if any(EPREUVES[code].preparation for code in codes) else 0.92  # créneaux perdus
        capacite = 0.0
        teachers: set[str] = set()
        rang = 0
        while capacite < minutes * p.marge or rang < 2:
            rang += 1
            disponible = jours
            fraction = 1.0
            if len(jours) > 1 and alea.random() < p.part_disponibilite_partielle:
                partiel = alea.randrange(len(jours))
                disponible = tuple(Jour(j.date, (plages[0],)) if k == partiel else j for k, j in enumerate(jours))
                fraction = (len(jours) - 1 + plages[0].minutes / minutes_jour) / len(jours)
            capacite += minutes_jour * len(jours) * fraction * perte
            # E5B n'a pas de professionnel : ses deux enseignants viennent d'ailleurs, sans conflit
            vivier = exterieurs if codes == ("E5B",) else etablissements + exterieurs
            libres = [e for e in vivier if e not in teachers] or exterieurs
            enseignant = alea.choice(libres)
            teachers.add(enseignant)
            membres: tuple[str, ...] = (examinateur(enseignant),)
            if langue is None:
                membres += (examinateur(None if codes != ("E5B",) else alea.choice(exterieurs)),)
            numero = len(commissions) + 1
            commissions.append(
                Commission(
                    id=f"K{numero:02d}",
                    epreuves=codes,
                    membres=membres,
                    disponible=disponible,
                    langue=langue,
                    salle=f"S{100 + numero}",
                )
            )

    preparation = sum(
        math.ceil(EPREUVES[code].preparation * (4 / 3 if c.majoration else 1) / 5) * 5
        for c in candidats
        for code in c.epreuves
    )
    places = math.ceil(preparation * p.marge / (minutes_jour * len(jours))) + 2
    loges = []
    numero = 1
    while places > 0:
        taille = min(places, 12)
        loges.append(Loge(f"LOGE-{numero}", taille, ("E2", "LV2", "E4")))
        places -= taille
        numero += 1
    postes = max(1, sum(1 for k in commissions if k.epreuves == ("E5B",)))
    sujets = tuple(Sujet(f"WP-{i:02d}", Support.WORDPRESS) for i in range(1, 13)) + tuple(
        Sujet(f"PS-{i:02d}", Support.PRESTASHOP) for i in range(1, 13)
    )
    return Instance(
        nom=(
            f"Centre généré par examens {version()} (generer-centre --candidats {p.candidats} "
            f"--jours {p.jours} --graine {p.graine} --marge {p.marge})"
        ),
        fuseau="Europe/Paris",
        pas=5,
        jours=jours,
        epreuves=dict(EPREUVES),
        loges=tuple(loges),
        postes=postes,
        commissions=tuple(commissions),
        examinateurs=tuple(examinateurs),
        candidats=tuple(candidats),
        sujets=sujets,
        regles=Regles(),
    )
