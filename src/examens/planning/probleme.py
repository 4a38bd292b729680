"""Le problème vu par les planificateurs (glouton, CP-SAT, bornes) : des tâches et leurs fenêtres.

Une *tâche* est ce qu'une commission fait passer d'un seul tenant à un candidat : une épreuve, ou une
épreuve suivie de celle qui la `suit` (E6 puis engagement étudiant, même commission, sans battement).
Le vérificateur n'utilise pas ce module : il recalcule tout lui-même.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from examens.planning.formats import Candidat, Instance, Plage, duree_effective


@dataclass(frozen=True, slots=True)
class Fenetre:
    """Débuts d'épreuve possibles [debut_min, debut_max] (minutes, sur la grille) dans la plage `plage`."""

    commission: str
    plage: int
    debut_min: int
    debut_max: int


@dataclass(frozen=True, slots=True)
class Tache:
    index: int
    candidat: str
    epreuves: tuple[str, ...]  # la première, puis celle qui la suit éventuellement
    durees: tuple[int, ...]  # durée effective de chaque épreuve (tiers-temps compris)
    preparation: int  # préparation effective de la première épreuve, 0 sinon
    commissions: tuple[str, ...]  # commissions habilitées (épreuves, langue, établissement)
    loges: tuple[str, ...]
    poste: tuple[int, int] | None  # (décalage depuis le début, durée) de la partie sur poste
    sujet: bool
    cle_charge: str  # "E4" ou "E2:anglais"
    raison: str | None  # pourquoi la tâche ne peut être placée nulle part, sinon None
    # Calculées une fois (les planificateurs les lisent des millions de fois) :
    duree: int = field(init=False)  # somme des `durees`
    occupation: int = field(init=False)  # préparation + durée

    def __post_init__(self) -> None:
        object.__setattr__(self, "duree", sum(self.durees))
        object.__setattr__(self, "occupation", self.preparation + self.duree)


@dataclass(frozen=True, slots=True)
class Probleme:
    instance: Instance
    taches: tuple[Tache, ...]
    par_candidat: dict[str, tuple[int, ...]]
    fenetres: dict[tuple[int, str], tuple[Fenetre, ...]]  # (tâche, date) -> fenêtres
    examinateurs_partages: dict[str, tuple[str, ...]]  # examinateur -> commissions (s'il en a plusieurs)

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(j.date for j in self.instance.jours)


def _haut(minutes: int, pas: int) -> int:
    return -(-minutes // pas) * pas


def _raison_sans_commission(instance: Instance, candidat: Candidat, code: str) -> str:
    epreuve = instance.epreuves[code]
    if epreuve.langue:
        langue = candidat.langues[code]
        if not any(code in c.epreuves and c.langue == langue for c in instance.commissions):
            return f"aucune commission ne fait passer {code} en {langue}"
    elif not any(code in c.epreuves for c in instance.commissions):
        return f"aucune commission ne fait passer {code}"
    return (
        f"toutes les commissions de {code} comptent un examinateur de l'établissement "
        f"{candidat.etablissement} du candidat"
    )


def construire(instance: Instance) -> Probleme:
    pas = instance.pas
    etablissement = {x.id: x.etablissement for x in instance.examinateurs}
    taches: list[Tache] = []
    par_candidat: dict[str, list[int]] = defaultdict(list)
    for candidat in instance.candidats:
        for code in candidat.epreuves:
            epreuve = instance.epreuves[code]
            if epreuve.suit is not None:
                continue  # placée avec celle qu'elle suit
            suivante = next(
                (e for e in instance.epreuves.values() if e.suit == code and e.code in candidat.epreuves), None
            )
            chaine = (epreuve,) if suivante is None else (epreuve, suivante)
            durees = tuple(
                duree_effective(e.duree, majoration=candidat.majoration and e.poste, pas=pas) for e in chaine
            )
            preparation = duree_effective(epreuve.preparation, majoration=candidat.majoration, pas=pas)
            langue = candidat.langues.get(code)
            commissions = []
            for commission in instance.commissions:
                if any(e.code not in commission.epreuves for e in chaine):
                    continue
                if epreuve.langue and commission.langue != langue:
                    continue
                if (
                    instance.regles.conflit_etablissement
                    and candidat.etablissement is not None
                    and any(etablissement.get(m) == candidat.etablissement for m in commission.membres)
                ):
                    continue
                commissions.append(commission.id)
            poste: tuple[int, int] | None = None
            postes = [i for i, e in enumerate(chaine) if e.poste]
            if postes:
                debut = sum(durees[: postes[0]])
                poste = (debut, sum(durees[postes[0] : postes[-1] + 1]))
            raison = None if commissions else _raison_sans_commission(instance, candidat, code)
            index = len(taches)
            taches.append(
                Tache(
                    index=index,
                    candidat=candidat.id,
                    epreuves=tuple(e.code for e in chaine),
                    durees=durees,
                    preparation=preparation if epreuve.preparation else 0,
                    commissions=tuple(commissions),
                    loges=tuple(loge.id for loge in instance.loges if code in loge.epreuves),
                    poste=poste,
                    sujet=any(e.sujet for e in chaine),
                    cle_charge=f"{code}:{langue}" if epreuve.langue else code,
                    raison=raison,
                )
            )
            par_candidat[candidat.id].append(index)

    candidats = {c.id: c for c in instance.candidats}
    commissions_par_id = {c.id: c for c in instance.commissions}
    fenetres: dict[tuple[int, str], tuple[Fenetre, ...]] = {}
    for tache in taches:
        arrivee = candidats[tache.candidat].arrivee or 0
        for jour in instance.jours:
            liste = []
            for ident in tache.commissions:
                dispo = [pl for j in commissions_par_id[ident].disponible if j.date == jour.date for pl in j.plages]
                for h, plage in enumerate(jour.plages):
                    for q in dispo:
                        lo = _haut(max(plage.debut + tache.preparation, q.debut, arrivee + tache.preparation), pas)
                        hi = (min(plage.fin, q.fin) - tache.duree) // pas * pas
                        if lo <= hi:
                            liste.append(Fenetre(ident, h, lo, hi))
            fenetres[(tache.index, jour.date)] = tuple(liste)
    # une tâche sans aucune fenêtre, aucun jour, ne peut être placée
    for i, tache in enumerate(taches):
        if tache.raison is None and not any(fenetres[(tache.index, j.date)] for j in instance.jours):
            taches[i] = replace(
                tache,
                raison=(
                    f"aucune plage ni disponibilité de commission assez longue pour "
                    f"{tache.preparation + tache.duree} min ({'+'.join(tache.epreuves)})"
                ),
            )
    membres: dict[str, list[str]] = defaultdict(list)
    for commission in instance.commissions:
        for membre in commission.membres:
            membres[membre].append(commission.id)
    return Probleme(
        instance=instance,
        taches=tuple(taches),
        par_candidat={c: tuple(v) for c, v in par_candidat.items()},
        fenetres=fenetres,
        examinateurs_partages={m: tuple(c) for m, c in membres.items() if len(c) > 1},
    )


def groupes_de_commissions(
    taches: Iterable[Tache], commissions: Iterable[str] = ()
) -> tuple[dict[str, list[Tache]], dict[str, str]]:
    """Les tâches par groupe de commissions, indexées par la racine du groupe ; et la racine du groupe de
    chaque commission (celles de `commissions`, puis celles des tâches).

    Un groupe est une composante connexe (union-find) : deux commissions sont reliées quand une même tâche
    peut passer devant l'une ou l'autre ; les groupes ne partagent donc aucune tâche. Les tâches sans
    commission n'appartiennent à aucun groupe.
    """
    parent: dict[str, str] = {c: c for c in commissions}

    def racine(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    taches = list(taches)
    for t in taches:
        for autre in t.commissions[1:]:
            parent[racine(autre)] = racine(t.commissions[0])
    groupes: dict[str, list[Tache]] = defaultdict(list)
    for t in taches:
        if t.commissions:
            groupes[racine(t.commissions[0])].append(t)
    return groupes, {ident: racine(ident) for ident in list(parent)}


def somme_maximale(longueur: int, durees: Iterable[int], pas: int) -> int:
    """Le plus grand total ≤ `longueur` de durées prises dans `durees`, chacune autant de fois qu'on veut.

    Majore les minutes d'épreuve qu'une commission peut faire passer dans une fenêtre de `longueur`
    minutes : ses passages y sont disjoints et chacun dure l'une des `durees`.
    """
    n = max(0, longueur) // pas
    pas_durees = sorted({d // pas for d in durees if 0 < d // pas <= n})
    masque = (1 << (n + 1)) - 1
    atteints = 1
    while True:
        suivants = atteints
        for d in pas_durees:
            suivants |= (atteints << d) & masque
        if suivants == atteints:
            break
        atteints = suivants
    return (atteints.bit_length() - 1) * pas


def fenetres_demi_journees(
    probleme: Probleme, taches: Iterable[Tache], *, preparation: bool = True
) -> dict[tuple[str, str, int], tuple[int, ...]]:
    """Pour chaque demi-journée (commission, date, plage) où `taches` peuvent passer : les longueurs (minutes)
    des fenêtres où ses passages peuvent se tenir, une par disponibilité de la commission dans la plage
    (deux disponibilités qui se touchent ne font qu'une fenêtre : une épreuve et celle qui la `suit` peuvent
    passer de l'une à l'autre).

    Une tâche de préparation p commence au plus tôt à début de plage + p (la préparation tient dans la
    plage), finit au plus tard à la fin de la plage et reste dans une disponibilité de la commission ;
    la fenêtre de la commission commence donc au plus tôt à début de plage + la plus petite préparation
    de ses tâches (au début de la plage avec `preparation=False`). Un passage tient dans une seule fenêtre.
    """
    instance = probleme.instance
    pas = instance.pas
    minimum: dict[str, int] = {}
    for t in taches:
        for k in t.commissions:
            minimum[k] = min(minimum.get(k, t.preparation), t.preparation) if preparation else 0
    jours = {j.date: j.plages for j in instance.jours}
    intervalles: dict[tuple[str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for commission in instance.commissions:
        if commission.id not in minimum:
            continue
        for jour in commission.disponible:
            for h, plage in enumerate(jours.get(jour.date, ())):
                for q in jour.plages:
                    debut = -(-max(plage.debut + minimum[commission.id], q.debut) // pas) * pas
                    fin = min(plage.fin, q.fin) // pas * pas
                    if fin > debut:
                        intervalles[(commission.id, jour.date, h)].append((debut, fin))
    fenetres: dict[tuple[str, str, int], tuple[int, ...]] = {}
    for cle, liste in intervalles.items():
        fusionnees: list[list[int]] = []
        for debut, fin in sorted(liste):
            if fusionnees and debut <= fusionnees[-1][1]:
                fusionnees[-1][1] = max(fusionnees[-1][1], fin)
            else:
                fusionnees.append([debut, fin])
        fenetres[cle] = tuple(fin - debut for debut, fin in fusionnees)
    return fenetres


def capacites_demi_journees(
    probleme: Probleme, taches: Iterable[Tache], *, epreuves_a_part: bool = False
) -> dict[tuple[str, str, int], int]:
    """Pour chaque demi-journée (commission, date, plage) où `taches` peuvent passer : un majorant des
    minutes d'épreuve qu'elle peut contenir : dans chacune de ses fenêtres (`fenetres_demi_journees`), des
    passages disjoints qui totalisent au plus `somme_maximale` de leurs durées.

    `epreuves_a_part` : une épreuve et celle qui la `suit` comptent chacune pour elle-même, dans des fenêtres
    ouvertes dès le début de la plage (quand elles peuvent tomber dans deux demi-journées).
    """
    taches = list(taches)
    durees: dict[str, set[int]] = defaultdict(set)
    for t in taches:
        for k in t.commissions:
            durees[k].update(t.durees if epreuves_a_part else (t.duree,))
    pas = probleme.instance.pas
    capacites: dict[tuple[str, str, int], int] = {}
    for cle, longueurs in fenetres_demi_journees(probleme, taches, preparation=not epreuves_a_part).items():
        total = sum(somme_maximale(longueur, durees[cle[0]], pas) for longueur in longueurs)
        if total:
            capacites[cle] = total
    return capacites


def minutes_communes(a: Iterable[Plage], b: Iterable[Plage], pas: int) -> int:
    """Les minutes, sur la grille de `pas`, communes aux plages de `a` et à celles de `b`."""
    b = list(b)
    total = 0
    for x in a:
        for y in b:
            debut = -(-max(x.debut, y.debut) // pas) * pas
            fin = min(x.fin, y.fin) // pas * pas
            total += max(0, fin - debut)
    return total


def plus_petit_nombre(tailles: Iterable[int], minutes: int) -> int | None:
    """Le plus petit k tel que les k plus grandes `tailles` totalisent au moins `minutes` ; None si toutes
    ensemble n'y suffisent pas."""
    if minutes <= 0:
        return 0
    cumul = 0
    for k, taille in enumerate(sorted(tailles, reverse=True), start=1):
        cumul += taille
        if cumul >= minutes:
            return k
    return None


def amplitude_du_jour(probleme: Probleme, date: str) -> int:
    """Ce que les tâches d'un candidat ce jour-là peuvent occuper au plus, un battement compté après chacune :
    du début de la première plage à la fin de la dernière, plus un battement."""
    plages = probleme.instance.jour(date).plages
    return plages[-1].fin - plages[0].debut + probleme.instance.regles.battement


@dataclass(frozen=True, slots=True)
class LimitesDuJour:
    """Ce qu'un jour peut recevoir quand on répartit les tâches entre les jours (avec une marge, pour que
    le modèle du jour reste faisable malgré les trous)."""

    ensembles: tuple[tuple[frozenset[str], int], ...]  # (commissions habilitées, minutes d'épreuve au plus)
    loges: int | None  # minutes de préparation au plus
    postes: int  # minutes sur poste au plus


def limites_des_jours(probleme: Probleme, taches: Iterable[Tache]) -> dict[str, LimitesDuJour]:
    """Pour chaque jour : les tâches qui ne peuvent aller que dans un ensemble de commissions tiennent dans
    93 % de ses minutes disponibles ; les préparations dans 85 % des places de loge ; les postes dans 93 %."""
    instance = probleme.instance
    pas = instance.pas
    ensembles = sorted({frozenset(t.commissions) for t in taches}, key=sorted)
    places = sum(loge.places for loge in instance.loges)
    limites: dict[str, LimitesDuJour] = {}
    for date in probleme.dates:
        centre = instance.jour(date).plages
        minutes = {
            c.id: sum(minutes_communes(centre, jour.plages, pas) for jour in c.disponible if jour.date == date)
            for c in instance.commissions
        }
        longueur = sum(p.minutes for p in centre)
        limites[date] = LimitesDuJour(
            ensembles=tuple((e, int(0.93 * sum(minutes.get(k, 0) for k in e))) for e in ensembles),
            loges=int(0.85 * places * longueur) if instance.loges else None,
            postes=int(0.93 * instance.postes * longueur),
        )
    return limites
