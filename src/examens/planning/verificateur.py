"""Vérificateur indépendant d'un planning (`examens/planning@1`) contre son instance.

Écrit sans rien partager avec les planificateurs (glouton, CP-SAT) : il ne lit que les dataclasses du
format et recalcule lui-même durées, occupations et statistiques. Chaque violation porte le numéro de la
règle du format (« What a valid planning satisfies », 1 à 9) et une phrase en français.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from examens.planning.formats import (
    Candidat,
    Epreuve,
    Instance,
    Passage,
    Planning,
    Statistiques,
    Statut,
    Support,
    format_heure,
)

REGLES = {
    1: "chaque (candidat, épreuve) une fois exactement",
    2: "commission habilitée (épreuve, langue)",
    3: "jour, plages, disponibilités, grille et durées",
    4: "commission et examinateur jamais à deux endroits",
    5: "battement, arrivée et nombre de passages par jour",
    6: "places des loges et postes",
    7: "épreuve enchaînée (suit)",
    8: "conflit d'établissement",
    9: "sujets",
}


@dataclass(frozen=True, slots=True)
class Violation:
    regle: int
    message: str

    def __str__(self) -> str:
        return f"règle {self.regle} ({REGLES[self.regle]}) : {self.message}"


@dataclass(frozen=True, slots=True)
class Rapport:
    violations: tuple[Violation, ...]
    statistiques: Statistiques

    @property
    def valide(self) -> bool:
        return not self.violations

    def regles_violees(self) -> set[int]:
        return {v.regle for v in self.violations}


def _h(minutes: int) -> str:
    return format_heure(minutes)


def _nom(p: Passage) -> str:
    return f"{p.candidat}/{p.epreuve}"


def _attendu(minutes: int, majore: bool, pas: int) -> int:
    # Tiers-temps : × 4/3 arrondi au pas supérieur, recalculé ici exprès (indépendance).
    return -(-minutes * 4 // (3 * pas)) * pas if majore else minutes


def _durees(epreuve: Epreuve, candidat: Candidat, pas: int) -> tuple[int, int]:
    preparation = _attendu(epreuve.preparation, candidat.majoration, pas)
    duree = _attendu(epreuve.duree, candidat.majoration and epreuve.poste, pas)
    return preparation, duree


def _chevauche(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def verifier(instance: Instance, planning: Planning) -> Rapport:
    violations: list[Violation] = []

    def viol(regle: int, message: str) -> None:
        violations.append(Violation(regle, message))

    candidats = {c.id: c for c in instance.candidats}
    commissions = {c.id: c for c in instance.commissions}
    examinateurs = {x.id: x for x in instance.examinateurs}
    jours = {j.date: j for j in instance.jours}
    loges = {loge.id: loge for loge in instance.loges}
    sujets = {s.id: s for s in instance.sujets}
    pas = instance.pas
    regles = instance.regles

    # Règle 1 ------------------------------------------------------------------------------------
    occurrences: dict[tuple[str, str], int] = defaultdict(int)
    for cle in [(p.candidat, p.epreuve) for p in planning.passages] + [
        (n.candidat, n.epreuve) for n in planning.non_planifies
    ]:
        occurrences[cle] += 1
    attendus = {(c.id, e) for c in instance.candidats for e in c.epreuves}
    for cle, nombre in sorted(occurrences.items()):
        if cle not in attendus:
            viol(1, f"{cle[0]}/{cle[1]} n'est pas un passage de l'instance")
        elif nombre > 1:
            viol(1, f"{cle[0]}/{cle[1]} apparaît {nombre} fois")
    for cle in sorted(attendus - set(occurrences)):
        viol(1, f"{cle[0]}/{cle[1]} n'est ni planifié ni dans non_planifies")

    # On ne vérifie les règles suivantes que sur les passages rattachables à l'instance.
    valides = [p for p in planning.passages if (p.candidat, p.epreuve) in attendus]

    for p in valides:
        candidat = candidats[p.candidat]
        epreuve = instance.epreuves[p.epreuve]
        commission = commissions.get(p.commission)
        # Règle 2
        if commission is None:
            viol(2, f"{_nom(p)} : commission « {p.commission} » inconnue")
        else:
            if p.epreuve not in commission.epreuves:
                viol(2, f"{_nom(p)} : la commission {commission.id} ne fait pas passer {p.epreuve}")
            if epreuve.langue and commission.langue != candidat.langues.get(p.epreuve):
                viol(
                    2,
                    f"{_nom(p)} : commission {commission.id} en {commission.langue}, "
                    f"candidat en {candidat.langues.get(p.epreuve)}",
                )
            if p.salle != commission.salle:
                viol(2, f"{_nom(p)} : salle « {p.salle} » au lieu de « {commission.salle} »")
        # Règle 3
        preparation, duree = _durees(epreuve, candidat, pas)
        jour = jours.get(p.date)
        debut_presence = p.debut if p.preparation is None else p.preparation
        if jour is None:
            viol(3, f"{_nom(p)} : le {p.date} n'est pas un jour du centre")
        elif not any(pl.debut <= debut_presence and p.fin <= pl.fin for pl in jour.plages):
            viol(3, f"{_nom(p)} : {_h(debut_presence)}–{_h(p.fin)} hors des plages du {p.date}")
        if commission is not None:
            dispo = [pl for j in commission.disponible if j.date == p.date for pl in j.plages]
            if not any(pl.debut <= p.debut and p.fin <= pl.fin for pl in dispo):
                viol(
                    3,
                    f"{_nom(p)} : commission {commission.id} indisponible le {p.date} de {_h(p.debut)} à {_h(p.fin)}",
                )
        for heure in (p.preparation, p.debut, p.fin):
            if heure is not None and heure % pas:
                viol(3, f"{_nom(p)} : {_h(heure)} n'est pas sur la grille de {pas} min")
        if p.fin - p.debut != duree:
            viol(3, f"{_nom(p)} : durée {p.fin - p.debut} min au lieu de {duree}")
        if preparation and p.preparation is None:
            viol(3, f"{_nom(p)} : préparation manquante ({preparation} min)")
        elif not preparation and p.preparation is not None:
            viol(3, f"{_nom(p)} : {p.epreuve} n'a pas de préparation")
        elif p.preparation is not None and p.debut - p.preparation != preparation:
            viol(3, f"{_nom(p)} : préparation de {p.debut - p.preparation} min au lieu de {preparation}")
        # Règle 5 (arrivée)
        if candidat.arrivee is not None and debut_presence < candidat.arrivee:
            viol(5, f"{_nom(p)} : commence à {_h(debut_presence)}, avant l'arrivée ({_h(candidat.arrivee)})")
        # Règle 8
        if regles.conflit_etablissement and commission is not None and candidat.etablissement is not None:
            for membre in commission.membres:
                x = examinateurs.get(membre)
                if x is not None and x.etablissement == candidat.etablissement:
                    viol(8, f"{_nom(p)} : l'examinateur {membre} est de l'établissement {x.etablissement}")
        # Règle 6 (loge acceptée) et 9 (sujet présent)
        if p.loge is not None:
            loge = loges.get(p.loge)
            if loge is None:
                viol(6, f"{_nom(p)} : loge « {p.loge} » inconnue")
            elif p.epreuve not in loge.epreuves:
                viol(6, f"{_nom(p)} : la loge {loge.id} n'accueille pas {p.epreuve}")
        if epreuve.sujet:
            if p.sujet is None:
                viol(9, f"{_nom(p)} : sujet manquant")
            elif p.sujet not in sujets:
                viol(9, f"{_nom(p)} : sujet « {p.sujet} » inconnu")
        elif p.sujet is not None:
            viol(9, f"{_nom(p)} : {p.epreuve} ne comporte pas de sujet")

    # Règle 4 : commissions puis examinateurs ----------------------------------------------------
    par_commission: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in valides:
        par_commission[(p.commission, p.date)].append(p)
    for (ident, date), liste in sorted(par_commission.items()):
        liste.sort(key=lambda p: p.debut)
        for i, a in enumerate(liste):
            for b in liste[i + 1 :]:
                if b.debut >= a.fin:
                    break
                viol(4, f"commission {ident} le {date} : {_nom(a)} et {_nom(b)} se chevauchent")
    par_examinateur: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in valides:
        commission = commissions.get(p.commission)
        for membre in commission.membres if commission else ():
            par_examinateur[(membre, p.date)].append(p)
    for (membre, date), liste in sorted(par_examinateur.items()):
        liste.sort(key=lambda p: p.debut)
        for i, a in enumerate(liste):
            for b in liste[i + 1 :]:
                if b.debut >= a.fin:
                    break
                if a.commission != b.commission:
                    viol(
                        4,
                        f"examinateur {membre} le {date} : dans {a.commission} ({_nom(a)}) et "
                        f"{b.commission} ({_nom(b)}) à la fois",
                    )

    # Règles 5 et 7 : par candidat et par jour ---------------------------------------------------
    par_candidat_jour: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in valides:
        par_candidat_jour[(p.candidat, p.date)].append(p)
    for (ident, date), liste in sorted(par_candidat_jour.items()):
        liste.sort(key=lambda p: (p.debut if p.preparation is None else p.preparation, p.debut))
        for i, a in enumerate(liste):
            for b in liste[i + 1 :]:
                enchaines = instance.epreuves[b.epreuve].suit == a.epreuve or (
                    instance.epreuves[a.epreuve].suit == b.epreuve
                )
                if enchaines:
                    continue
                debut_b = b.debut if b.preparation is None else b.preparation
                if debut_b < a.fin + regles.battement:
                    viol(
                        5,
                        f"{ident} le {date} : {b.epreuve} commence à {_h(debut_b)}, moins de "
                        f"{regles.battement} min après la fin de {a.epreuve} ({_h(a.fin)})",
                    )
        comptes = sum(1 for p in liste if instance.epreuves[p.epreuve].suit is None)
        if comptes > regles.max_passages_par_jour:
            viol(5, f"{ident} le {date} : {comptes} passages (maximum {regles.max_passages_par_jour})")
    index = {(p.candidat, p.epreuve): p for p in valides}
    for p in valides:
        suivie = instance.epreuves[p.epreuve].suit
        if suivie is None:
            continue
        precedent = index.get((p.candidat, suivie))
        if precedent is None:
            viol(7, f"{_nom(p)} : planifiée sans {suivie}, qu'elle doit suivre")
            continue
        if precedent.date != p.date or precedent.fin != p.debut:
            viol(
                7,
                f"{_nom(p)} : commence le {p.date} à {_h(p.debut)} au lieu du {precedent.date} à "
                f"{_h(precedent.fin)} (fin de {suivie})",
            )
        if precedent.commission != p.commission:
            viol(7, f"{_nom(p)} : commission {p.commission} au lieu de {precedent.commission} ({suivie})")

    # Règle 6 : occupation minute par minute (balayage) ------------------------------------------
    for loge in instance.loges:
        intervalles = [
            (p.preparation, p.debut, p.date) for p in valides if p.loge == loge.id and p.preparation is not None
        ]
        for date, pic, minute in _pics(intervalles):
            if pic > loge.places:
                viol(6, f"loge {loge.id} le {date} à {_h(minute)} : {pic} candidats pour {loge.places} places")
    postes = [(p.debut, p.fin, p.date) for p in valides if instance.epreuves[p.epreuve].poste]
    for date, pic, minute in _pics(postes):
        if pic > instance.postes:
            viol(6, f"le {date} à {_h(minute)} : {pic} épreuves sur poste pour {instance.postes} postes")

    # Règle 9 : sujets ----------------------------------------------------------------------------
    donnes: dict[tuple[str, str, str], int] = defaultdict(int)
    supports: dict[Support, int] = defaultdict(int)
    for p in valides:
        if p.sujet is not None and p.sujet in sujets and instance.epreuves[p.epreuve].sujet:
            donnes[(p.commission, p.date, p.sujet)] += 1
            supports[sujets[p.sujet].support] += 1
    for (commission_id, date, sujet), nombre in sorted(donnes.items()):
        if nombre > 1:
            viol(9, f"commission {commission_id} le {date} : sujet {sujet} donné {nombre} fois")
    ecart = abs(supports[Support.WORDPRESS] - supports[Support.PRESTASHOP])
    if ecart > 1:
        viol(
            9,
            f"{supports[Support.WORDPRESS]} sujets wordpress et {supports[Support.PRESTASHOP]} prestashop "
            "(écart supérieur à 1)",
        )

    statistiques = calculer_statistiques(
        instance,
        planning,
        methode=planning.statistiques.methode if planning.statistiques else "inconnue",
        statut=planning.statistiques.statut if planning.statistiques else Statut.FEASIBLE,
        duree_s=planning.statistiques.duree_s if planning.statistiques else 0.0,
    )
    return Rapport(tuple(violations), statistiques)


def _pics(intervalles: Iterable[tuple[int, int, str]]) -> list[tuple[str, int, int]]:
    """(date, occupation maximale, minute où elle est atteinte) par date, intervalles [début, fin)."""
    evenements: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for debut, fin, date in intervalles:
        evenements[date] += [(debut, 1), (fin, -1)]
    resultat = []
    for date, liste in sorted(evenements.items()):
        liste.sort()  # à minute égale, les fins (-1) passent avant les débuts : intervalles semi-ouverts
        courant, pic, minute = 0, 0, 0
        for instant, delta in liste:
            courant += delta
            if courant > pic:
                pic, minute = courant, instant
        resultat.append((date, pic, minute))
    return resultat


def calculer_statistiques(
    instance: Instance, planning: Planning, *, methode: str, statut: Statut, duree_s: float
) -> Statistiques:
    """Les critères de qualité du format, recalculés depuis les passages."""
    candidats = {c.id: c for c in instance.candidats}
    passages = [p for p in planning.passages if p.candidat in candidats and p.epreuve in instance.epreuves]
    par_candidat_jour: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in passages:
        par_candidat_jour[(p.candidat, p.date)].append(p)
    attente = 0
    for liste in par_candidat_jour.values():
        premier = min(p.debut if p.preparation is None else p.preparation for p in liste)
        dernier = max(p.fin for p in liste)
        occupe = sum(p.fin - (p.debut if p.preparation is None else p.preparation) for p in liste)
        attente += dernier - premier - occupe
    jours = {j.date: j for j in instance.jours}
    demi_journees: set[tuple[str, str, int]] = set()
    for p in passages:
        plages = jours[p.date].plages if p.date in jours else ()
        indice = next((i for i, pl in enumerate(plages) if pl.debut <= p.debut < pl.fin), -1 - p.debut // 720)
        demi_journees.add((p.commission, p.date, indice))
    commissions = {c.id: c for c in instance.commissions}
    charges: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in passages:
        cle = p.epreuve
        if instance.epreuves[p.epreuve].langue:
            commission = commissions.get(p.commission)
            langue = commission.langue if commission else candidats[p.candidat].langues.get(p.epreuve)
            cle = f"{p.epreuve}:{langue}"
        charges[cle][p.commission] += p.fin - p.debut
    changements = None
    if instance.reference is not None:
        avant = {(p.candidat, p.epreuve): p for p in instance.reference.passages}
        apres = {(p.candidat, p.epreuve): p for p in passages}
        changements = 0
        attendus = {(c.id, e) for c in instance.candidats for e in c.epreuves}
        for couple, ancien in avant.items():
            if couple not in attendus:
                continue
            nouveau = apres.get(couple)
            if nouveau is None or (nouveau.commission, nouveau.date, nouveau.debut) != (
                ancien.commission,
                ancien.date,
                ancien.debut,
            ):
                changements += 1
    return Statistiques(
        methode=methode,
        statut=statut,
        duree_s=duree_s,
        non_planifies=len(planning.non_planifies),
        jours_candidats=len(par_candidat_jour),
        attente_minutes=attente,
        demi_journees_commissions=len(demi_journees),
        charge_max_minutes={cle: max(par.values()) for cle, par in sorted(charges.items())},
        changements=changements,
    )
