"""Délibération d'un candidat : §4 du règlement (CE D643-22, décret 2022-850).

Entrée : les résultats d'un candidat (note exacte ou code, par épreuve). Sortie : décision, motif, points,
diviseur, moyennes exactes, droit au contrôle et décision après contrôle, unités obtenues.

Arithmétique : entiers de centièmes de point. Une moyenne est la fraction points / diviseur ; on la
compare au seuil sans arrondi (points ≥ seuil × diviseur) et on ne l'arrondit que pour l'affichage.
Le moteur est appelé pour des centaines de milliers de candidats : le règlement est « compilé » une fois
(`_Plan`) et la boucle par candidat ne fait que des opérations entières.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache, partial
from typing import Final, NamedTuple

from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Domaine, Reglement
from examens.core.resultats import Etat, Note, Origine, Resultat, format_centiemes


class Parcours(StrEnum):
    """Forme de passage de l'examen (§5)."""

    GLOBALE = "globale"
    PROGRESSIVE = "progressive"


class Decision(StrEnum):
    ADMIS = "admis"
    AJOURNE = "ajourne"
    CONTROLE = "controle"  # admissible aux épreuves de contrôle, notes de contrôle pas encore connues
    INCOMPLET = "incomplet"  # forme progressive, toutes les unités ne sont pas encore présentées
    EN_ATTENTE = "en_attente"  # note suspendue, ou livret scolaire non encore examiné

    @property
    def label(self) -> str:
        return _LABELS_DECISION[self]


_LABELS_DECISION = {
    Decision.ADMIS: "admis",
    Decision.AJOURNE: "ajourné",
    Decision.CONTROLE: "admissible aux épreuves de contrôle",
    Decision.INCOMPLET: "parcours incomplet",
    Decision.EN_ATTENTE: "en attente",
}


class Motif(StrEnum):
    ABSENCE = "absence"
    NON_VALIDE = "non_valide"
    MOYENNE = "moyenne"
    NOTE_SUSPENDUE = "note_suspendue"
    LIVRET_NON_EXAMINE = "livret_non_examine"

    @property
    def label(self) -> str:
        return _LABELS_MOTIF[self]


_LABELS_MOTIF = {
    Motif.ABSENCE: "absence non justifiée à une épreuve obligatoire",
    Motif.NON_VALIDE: "épreuve déclarée non valide (dossier non conforme)",
    Motif.MOYENNE: "moyenne insuffisante",
    Motif.NOTE_SUSPENDUE: "note suspendue dans l'attente d'une vérification de conformité",
    Motif.LIVRET_NON_EXAMINE: "livret scolaire pas encore examiné par le jury",
}


class DeliberationImpossible(ErreurExamens):
    """Les résultats fournis ne permettent pas de délibérer (donnée manquante ou incohérente)."""

    code = "deliberation_impossible"


_VIDE: Final[Mapping[str, Resultat]] = {}


@dataclass(frozen=True, slots=True)
class CandidatADeliberer:
    """Les résultats d'un candidat, tels que le jury les voit.

    `resultats` : épreuve → note ou code. Une épreuve obligatoire absente de la table n'a pas été présentée
    (forme progressive seulement) ; une facultative absente n'a pas été choisie.
    `controle` : épreuve → note ou AB/ABJ aux épreuves de contrôle (vide s'il n'y en a pas eu).
    `points_jury` : épreuve → note relevée par le jury (§4.6) ; la décision utilise cette note.
    """

    candidat: str
    resultats: Mapping[str, Resultat]
    parcours: Parcours = Parcours.GLOBALE
    controle: Mapping[str, Resultat] = field(default_factory=dict)
    points_jury: Mapping[str, Note] = field(default_factory=dict)
    livret_fourni: bool = False
    livret_examine: bool = True


class Deliberation(NamedTuple):
    """Résultat de la délibération d'un candidat.

    Un `NamedTuple` plutôt qu'une dataclass figée : immuable aussi, et trois fois plus rapide à construire
    (le moteur en produit des centaines de milliers). Les points sont des entiers de centièmes ; les moyennes exactes sont des `Fraction` calculées à la
    demande (`moyenne`, `moyenne_premier_groupe`, `moyenne_professionnelle`), `None` quand aucune moyenne
    n'est publiée (absence, non-valide, parcours incomplet, attente).
    """

    candidat: str
    decision: Decision
    motif: Motif | None
    apres_controle: bool
    points_centiemes: int  # points finaux (après contrôle s'il a eu lieu), facultatives comprises
    diviseur: int
    points_premier_groupe_centiemes: int
    points_professionnels_centiemes: int
    diviseur_professionnel: int
    avec_moyenne: bool
    unites_obtenues: tuple[str, ...]
    epreuves_controle_possibles: tuple[str, ...] = ()
    nombre_epreuves_controle: int = 0
    notes_retenues: Mapping[str, Resultat] = _VIDE

    @property
    def points(self) -> str:
        return format_centiemes(self.points_centiemes)

    @property
    def moyenne(self) -> Fraction | None:
        return Fraction(self.points_centiemes, 100 * self.diviseur) if self.avec_moyenne else None

    @property
    def moyenne_premier_groupe(self) -> Fraction | None:
        return Fraction(self.points_premier_groupe_centiemes, 100 * self.diviseur) if self.avec_moyenne else None

    @property
    def moyenne_professionnelle(self) -> Fraction | None:
        if not self.avec_moyenne or not self.diviseur_professionnel:
            return None
        return Fraction(self.points_professionnels_centiemes, 100 * self.diviseur_professionnel)

    def moyennes_affichees(self, decimales: int = 2) -> tuple[str | None, str | None, str | None]:
        """(moyenne finale, moyenne du premier groupe, moyenne professionnelle) arrondies pour l'affichage."""
        if not self.avec_moyenne:
            return None, None, None
        d = 100 * self.diviseur
        pro = (
            _arrondi(self.points_professionnels_centiemes, 100 * self.diviseur_professionnel, decimales)
            if self.diviseur_professionnel
            else None
        )
        return (
            _arrondi(self.points_centiemes, d, decimales),
            _arrondi(self.points_premier_groupe_centiemes, d, decimales),
            pro,
        )

    @property
    def admissible_controle(self) -> bool:
        return self.nombre_epreuves_controle > 0


@lru_cache(maxsize=65536)
def _arrondi(n: int, d: int, decimales: int) -> str:
    """n/d ≥ 0 arrondi au plus proche, demi vers le haut, à `decimales` décimales, en entiers exacts.

    En cache : avec des demi-points et des coefficients entiers, peu de couples (n, d) distincts existent.
    """
    echelle = 10**decimales
    q = (2 * n * echelle + d) // (2 * d)
    if not decimales:
        return str(q)
    entier, reste = divmod(q, echelle)
    return f"{entier}.{reste:0{decimales}d}"


def arrondi_affichage(valeur: Fraction | None, decimales: int = 2) -> str | None:
    """Arrondi au plus proche, demi vers le haut, à `decimales` décimales (§4.2). Exact (pas de float)."""
    if valeur is None:
        return None
    return _arrondi(valeur.numerator, valeur.denominator, decimales)


# --- Le règlement compilé --------------------------------------------------------------------------


class _EpreuveCompilee(NamedTuple):
    code: str
    coefficient: int
    coefficient_pro: int  # le coefficient dans la moyenne professionnelle (0 hors du domaine professionnel)
    codes: frozenset[Etat]


@dataclass(frozen=True, slots=True)
class _Plan:
    obligatoires: tuple[_EpreuveCompilee, ...]
    facultatives: tuple[str, ...]
    codes_facultatives: Mapping[str, frozenset[Etat]]
    unites: tuple[tuple[str, tuple[int, ...]], ...]  # unité obligatoire → rang de ses épreuves, triées par code
    controle: tuple[str, ...]
    nombre_controle: int
    nombre_reduit: bool
    seuil_admission: int  # en centièmes
    seuil_controle: int
    seuil_professionnel: int
    seuil_facultatif: int
    seuil_unite: int
    facultatives_dans_controle: bool
    absence_facultative_sanctionnee: bool
    note_retenue_pour_unites: bool
    maximum: int
    coefficients: Mapping[str, int]
    rangs: Mapping[str, int]
    pas: int  # en centièmes
    session: int
    duree_conservation: int
    report_en_progressive: bool
    # Le cas courant compilé (voir `_compiler_cas_courant`) et ses diviseurs (aucune épreuve dispensée).
    cas_courant: Callable[[Mapping[str, Resultat]], tuple[int, int, int, tuple[str, ...]] | None]
    diviseur_complet: int
    diviseur_pro_complet: int


def _compiler_cas_courant(
    obligatoires: tuple[_EpreuveCompilee, ...],
    facultatives: tuple[str, ...],
    unites: tuple[tuple[str, tuple[int, ...]], ...],
    *,
    maximum: int,
    pas: int,
    seuil_facultatif: int,
    seuil_unite: int,
) -> Callable[[Mapping[str, Resultat]], tuple[int, int, int, tuple[str, ...]] | None]:
    """Compile, pour un règlement, le calcul du cas le plus fréquent, en code sans boucle.

    Le cas courant : chaque épreuve obligatoire a une note de la session, non suspendue, dans les bornes et
    au pas ; chaque facultative est absente ou dans le même cas. La fonction rend (points obligatoires,
    points des facultatives, points professionnels, unités obtenues), ou None pour tout autre cas, que la
    boucle générale de `deliberer_resultats` traite. Le code est engendré à partir des seules données du
    règlement (coefficients, seuils, unités) : aucune règle n'y est écrite à la main, et un test compare les
    deux chemins sur des notes tirées au hasard. Gain : environ un tiers du temps du moteur.
    """
    lignes = ["def cas_courant(resultats):", "    get = resultats.get"]

    def note_valide(var: str, code: str, *, facultative: bool) -> None:
        lignes.append(f"    r = get({code!r})")
        if facultative:
            lignes.append("    if r is not None:")
            indent = "        "
        else:
            indent = "    "
        lignes.append(f"{indent}if r.__class__ is not Note or not r.courante:")
        lignes.append(f"{indent}    return None")
        lignes.append(f"{indent}{var} = r.centiemes")
        lignes.append(f"{indent}if {var} > {maximum} or {var} < 0 or {var} % {pas}:")
        lignes.append(f"{indent}    return None")
        if facultative:
            lignes.append(f"        if {var} > {seuil_facultatif}:")
            lignes.append(f"            bonus += {var} - {seuil_facultatif}")

    for i, ep in enumerate(obligatoires):
        note_valide(f"c{i}", ep.code, facultative=False)
    lignes.append("    bonus = 0")
    for j, code in enumerate(facultatives):
        note_valide(f"f{j}", code, facultative=True)
    points = " + ".join(f"{ep.coefficient} * c{i}" for i, ep in enumerate(obligatoires)) or "0"
    pro = " + ".join(f"{ep.coefficient_pro} * c{i}" for i, ep in enumerate(obligatoires) if ep.coefficient_pro) or "0"
    lignes.append("    unites = []")
    for unite, rangs in unites:
        somme = " + ".join(f"c{r}" for r in rangs)
        lignes.append(f"    if {somme} >= {seuil_unite * len(rangs)}:")
        lignes.append(f"        unites.append({unite!r})")
    lignes.append(f"    return {points}, bonus, {pro}, tuple(unites)")
    espace: dict[str, object] = {"Note": Note}
    exec(compile("\n".join(lignes), "<règlement compilé : cas courant>", "exec"), espace)
    return espace["cas_courant"]  # type: ignore[return-value]


_plans: dict[int, tuple[Reglement, _Plan]] = {}


def _plan(reglement: Reglement) -> _Plan:
    entree = _plans.get(id(reglement))
    if entree is not None and entree[0] is reglement:
        return entree[1]
    d = reglement.deliberation
    rangs = {e.code: i for i, e in enumerate(reglement.obligatoires)}
    obligatoires = tuple(
        _EpreuveCompilee(e.code, e.coefficient, e.coefficient if e.domaine is Domaine.PROFESSIONNEL else 0, e.codes)
        for e in reglement.obligatoires
    )
    facultatives = tuple(e.code for e in reglement.facultatives)
    unites = tuple(sorted((u.code, tuple(rangs[code] for code in u.epreuves)) for u in reglement.unites_obligatoires()))
    plan = _Plan(
        obligatoires=obligatoires,
        facultatives=facultatives,
        codes_facultatives={e.code: e.codes for e in reglement.facultatives},
        unites=unites,
        controle=reglement.controle.epreuves,
        nombre_controle=reglement.controle.nombre,
        nombre_reduit=reglement.controle.nombre_reduit_si_moins_d_epreuves,
        seuil_admission=int(d.seuil_admission * 100),
        seuil_controle=int(d.seuil_controle * 100),
        seuil_professionnel=int(d.seuil_professionnel * 100),
        seuil_facultatif=int(d.seuil_facultatif * 100),
        seuil_unite=int(reglement.conservation.seuil_benefice * 100),
        facultatives_dans_controle=d.facultatives_dans_moyenne_controle,
        absence_facultative_sanctionnee=d.absence_facultative_sanctionnee,
        note_retenue_pour_unites=reglement.controle.note_retenue_pour_unites,
        maximum=int(reglement.notes.maximum * 100),
        coefficients={e.code: e.coefficient for e in reglement.obligatoires},
        rangs=rangs,
        pas=int(reglement.notes.pas * 100),
        session=reglement.session,
        duree_conservation=reglement.conservation.duree_annees,
        report_en_progressive=reglement.conservation.report_notes_inferieures_en_progressive,
        cas_courant=_compiler_cas_courant(
            obligatoires,
            facultatives,
            unites,
            maximum=int(reglement.notes.maximum * 100),
            pas=int(reglement.notes.pas * 100),
            seuil_facultatif=int(d.seuil_facultatif * 100),
            seuil_unite=int(reglement.conservation.seuil_benefice * 100),
        ),
        diviseur_complet=sum(e.coefficient for e in obligatoires),
        diviseur_pro_complet=sum(e.coefficient_pro for e in obligatoires),
    )
    _plans[id(reglement)] = (reglement, plan)
    return plan


# --- Le moteur -------------------------------------------------------------------------------------


def deliberer(reglement: Reglement, candidat: CandidatADeliberer) -> Deliberation:
    """Applique le §4 du règlement à un candidat. Lève `DeliberationImpossible` si les données l'empêchent."""
    resultats = candidat.resultats
    if candidat.points_jury:
        resultats = _appliquer_points_jury(candidat, _plan(reglement))
    return deliberer_resultats(
        reglement,
        candidat.candidat,
        resultats,
        parcours=candidat.parcours,
        controle=candidat.controle,
        livret_non_examine=candidat.livret_fourni and not candidat.livret_examine,
    )


def deliberer_resultats(
    reglement: Reglement,
    candidat: str,
    resultats: Mapping[str, Resultat],
    *,
    parcours: Parcours = Parcours.GLOBALE,
    controle: Mapping[str, Resultat] = _VIDE,
    livret_non_examine: bool = False,
) -> Deliberation:
    """Le même moteur sans objet d'entrée : c'est la forme qu'appellent les traitements de masse."""
    return _deliberer_selon_plan(_plan(reglement), candidat, resultats, parcours, controle, livret_non_examine)


def deliberateur(
    reglement: Reglement,
) -> Callable[[str, Mapping[str, Resultat], Parcours, Mapping[str, Resultat], bool], Deliberation]:
    """`deliberer_resultats` pour un règlement fixé, à arguments positionnels (candidat, résultats, parcours,
    contrôle, livret non examiné) : la boucle des traitements de masse l'appelle des centaines de milliers de
    fois, sans rechercher le plan compilé ni passer d'arguments nommés à chaque candidat."""
    return partial(_deliberer_selon_plan, _plan(reglement))


def _deliberer_selon_plan(
    plan: _Plan,
    candidat: str,
    resultats: Mapping[str, Resultat],
    parcours: Parcours,
    controle: Mapping[str, Resultat],
    livret_non_examine: bool,
) -> Deliberation:
    absent = non_valide = suspendue = False
    manquantes: list[str] = []
    # valeurs[i] : centièmes retenus pour les unités (ABJ = 0) ; None si l'épreuve ne peut donner l'unité.
    valeurs: list[int | None] = []
    courant = None if controle else plan.cas_courant(resultats)
    if courant is not None:  # toutes les notes de la session, ordinaires : le plan compilé suffit
        points, bonus_facultatif, points_pro, unites = courant
        diviseur, diviseur_pro = plan.diviseur_complet, plan.diviseur_pro_complet
    else:
        maximum, pas = plan.maximum, plan.pas
        valeur = valeurs.append
        points = diviseur = points_pro = diviseur_pro = 0
        for code, coefficient, coefficient_pro, codes in plan.obligatoires:
            r = resultats.get(code)
            if r.__class__ is Note:  # le cas courant, en premier
                c = r.centiemes
                if not r.courante or c > maximum or c < 0 or c % pas:
                    _verifier_note(plan, candidat, code, r, parcours)
                    suspendue = suspendue or r.suspendue
                valeur(c)
                points += coefficient * c
                diviseur += coefficient
                points_pro += coefficient_pro * c
                diviseur_pro += coefficient_pro
                continue
            if r is None:
                manquantes.append(code)
                valeur(None)
                continue
            if r not in codes:
                raise DeliberationImpossible(
                    f"Candidat {candidat} : le code « {r} » n'est pas permis pour l'épreuve {code}."
                )
            if r is Etat.ABSENT_JUSTIFIE:
                valeur(0)  # compte 0 (§3)
            else:
                valeur(None)
                if r is Etat.DISPENSE:
                    continue  # hors des points et du diviseur (§3)
                if r is Etat.ABSENT:
                    absent = True
                else:
                    non_valide = True
            diviseur += coefficient
            diviseur_pro += coefficient_pro

        bonus_facultatif = 0
        for code in plan.facultatives:
            r = resultats.get(code)
            if r is None:
                continue
            if r.__class__ is Note:
                _verifier_note(plan, candidat, code, r, parcours)
                if r.suspendue:
                    suspendue = True
                bonus = r.centiemes - plan.seuil_facultatif
                if bonus > 0:
                    bonus_facultatif += bonus
            elif r not in plan.codes_facultatives[code]:
                raise DeliberationImpossible(
                    f"Candidat {candidat} : le code « {r} » n'est pas permis pour l'épreuve facultative {code}."
                )
            elif r is Etat.ABSENT and plan.absence_facultative_sanctionnee:
                absent = True

        unites = _unites_obtenues(plan, valeurs)
    total = points + bonus_facultatif
    possibles: tuple[str, ...] = ()
    nombre = 0
    # §4.0 : forme progressive sans toutes les unités → pas de décision de diplôme ; note suspendue → attente.
    if manquantes:
        if parcours is not Parcours.PROGRESSIVE:
            raise DeliberationImpossible(
                f"Candidat {candidat} (forme globale) : résultat manquant pour {', '.join(manquantes)}."
            )
        decision, motif, avec_moyenne = Decision.INCOMPLET, None, False
    elif suspendue:
        decision, motif, avec_moyenne = Decision.EN_ATTENTE, Motif.NOTE_SUSPENDUE, False
    # §4.1 : absence ou non-valide → pas de diplôme, pas de moyenne publiée ; l'absence prime.
    elif absent or non_valide:
        decision, motif, avec_moyenne = Decision.AJOURNE, Motif.ABSENCE if absent else Motif.NON_VALIDE, False
    elif diviseur == 0:
        raise DeliberationImpossible(f"Candidat {candidat} : toutes les épreuves sont dispensées.")
    # §4.2-4.3 : moyenne exacte comparée au seuil sans arrondi.
    elif total >= plan.seuil_admission * diviseur:
        decision, motif, avec_moyenne = Decision.ADMIS, None, True
    # §4.4 : droit au contrôle (moyenne générale ≥ 8 et moyenne professionnelle ≥ 10).
    elif (total if plan.facultatives_dans_controle else points) >= plan.seuil_controle * diviseur and (
        diviseur_pro == 0 or points_pro >= plan.seuil_professionnel * diviseur_pro
    ):
        decision, motif, avec_moyenne = Decision.CONTROLE, None, True
        possibles = tuple(code for code in plan.controle if resultats.get(code) is not Etat.DISPENSE)
        nombre = min(plan.nombre_controle, len(possibles)) if plan.nombre_reduit else plan.nombre_controle
    else:
        decision, motif, avec_moyenne = Decision.AJOURNE, Motif.MOYENNE, True

    if controle and decision is not Decision.CONTROLE:
        if decision is Decision.ADMIS:
            raison = "admis au premier groupe"
        elif motif is Motif.MOYENNE:
            raison = "non admissible au contrôle (moyenne générale < 8 ou moyenne professionnelle < 10)"
        else:
            raison = f"non admissible ({(motif or decision).label})"
        raise DeliberationImpossible(f"Candidat {candidat} : notes de contrôle pour un candidat {raison}.")
    if not controle:
        if livret_non_examine and decision is Decision.AJOURNE:  # §4.8 (voir `_livret`)
            decision, motif = Decision.EN_ATTENTE, Motif.LIVRET_NON_EXAMINE
        return Deliberation(
            candidat,
            decision,
            motif,
            False,
            total,
            diviseur,
            total,
            points_pro,
            diviseur_pro,
            avec_moyenne,
            unites,
            possibles,
            nombre,
            resultats,
        )

    verifier_choix_controle(candidat, controle, possibles, nombre)
    # Pour chaque épreuve choisie : la meilleure des deux notes ; absent au contrôle → la note du 1er groupe.
    retenues = dict(resultats)
    valeurs_2 = list(valeurs)
    total_2 = total
    for code, r_ctrl in controle.items():
        if r_ctrl.__class__ is not Note:
            if r_ctrl not in (Etat.ABSENT, Etat.ABSENT_JUSTIFIE):
                raise DeliberationImpossible(
                    f"Candidat {candidat} : code « {r_ctrl} » impossible au contrôle de {code} (AB ou ABJ)."
                )
            continue
        _verifier_note(plan, candidat, f"contrôle {code}", r_ctrl, parcours)
        premier = resultats[code]
        c1 = premier.centiemes if premier.__class__ is Note else 0
        c2 = r_ctrl.centiemes
        if c2 > c1:
            total_2 += plan.coefficients[code] * (c2 - c1)
            retenues[code] = r_ctrl
            valeurs_2[plan.rangs[code]] = c2
    unites_2 = _unites_obtenues(plan, valeurs_2) if plan.note_retenue_pour_unites else unites
    admis = total_2 >= plan.seuil_admission * diviseur
    d = Deliberation(
        candidat,
        Decision.ADMIS if admis else Decision.AJOURNE,
        None if admis else Motif.MOYENNE,
        True,
        total_2,
        diviseur,
        total,
        points_pro,
        diviseur_pro,
        True,
        unites_2,
        possibles,
        nombre,
        retenues,
    )
    return _livret(d, livret_non_examine)


def _verifier_note(plan: _Plan, candidat: str, epreuve: str, note: Note, parcours: Parcours) -> None:
    """§3 et §5 : note de 0 à 20 au pas du règlement ; note conservée recevable (seuil, forme, 5 ans)."""
    c = note.centiemes
    if c < 0 or c > plan.maximum or c % plan.pas:
        raise DeliberationImpossible(
            f"Candidat {candidat}, {epreuve} : la note {format_centiemes(c, virgule=True, minimal=True)} n'est pas "
            f"une note de 0 à {plan.maximum // 100} au pas de {format_centiemes(plan.pas, virgule=True, minimal=True)}."
        )
    if note.origine is Origine.SESSION:
        return
    if note.origine is Origine.BENEFICE and c < plan.seuil_unite:
        raise DeliberationImpossible(
            f"Candidat {candidat}, {epreuve} : un bénéfice ne conserve qu'une note d'au moins "
            f"{plan.seuil_unite // 100} (§5)."
        )
    if note.origine is Origine.REPORT and not (plan.report_en_progressive and parcours is Parcours.PROGRESSIVE):
        raise DeliberationImpossible(
            f"Candidat {candidat}, {epreuve} : le report d'une note inférieure à 10 n'existe qu'en forme progressive (§5)."
        )
    if note.annee is None:
        raise DeliberationImpossible(f"Candidat {candidat}, {epreuve} : l'année de la note conservée manque.")
    if not 0 < plan.session - note.annee <= plan.duree_conservation:
        raise DeliberationImpossible(
            f"Candidat {candidat}, {epreuve} : une note de {note.annee} ne peut être conservée en {plan.session} "
            f"(conservation de {plan.duree_conservation} ans, §5)."
        )


def verifier_choix_controle(
    candidat: str, controle: Mapping[str, Resultat], possibles: tuple[str, ...], nombre: int
) -> None:
    """Le candidat choisit exactement `nombre` épreuves générales non dispensées (§4.4)."""
    interdites = [code for code in controle if code not in possibles]
    if interdites:
        raise DeliberationImpossible(
            f"Candidat {candidat} : contrôle impossible en {', '.join(interdites)} "
            f"(épreuves possibles : {', '.join(possibles)})."
        )
    if len(controle) != nombre:
        raise DeliberationImpossible(
            f"Candidat {candidat} : {len(controle)} épreuve(s) de contrôle au lieu de {nombre}."
        )


def _appliquer_points_jury(candidat: CandidatADeliberer, plan: _Plan) -> Mapping[str, Resultat]:
    """§4.6 : le jury peut relever une note ; la décision utilise la note du jury."""
    retenues = dict(candidat.resultats)
    for code, note_jury in candidat.points_jury.items():
        origine = retenues.get(code)
        if origine.__class__ is not Note:
            raise DeliberationImpossible(
                f"Candidat {candidat.candidat} : points de jury sur {code}, qui n'a pas de note."
            )
        if note_jury.centiemes < origine.centiemes or note_jury.centiemes > plan.maximum:
            raise DeliberationImpossible(
                f"Candidat {candidat.candidat} : les points de jury ne peuvent que relever la note de {code} "
                f"(de {origine} à {note_jury} demandé), sans dépasser 20."
            )
        retenues[code] = Note(note_jury.centiemes, origine.origine, origine.annee)
    return retenues


def _unites_obtenues(plan: _Plan, valeurs: list[int | None]) -> tuple[str, ...]:
    """§4.7 : unités obligatoires de note ≥ 10 ; U5 = moyenne exacte de ses parties ; dispensées exclues.

    `valeurs` : centièmes par épreuve obligatoire (ABJ = 0 ; None pour AB, NV, DI ou non présentée).
    Les unités du plan sont déjà triées par code : le résultat sort trié.
    """
    obtenues = []
    seuil = plan.seuil_unite
    for unite, rangs in plan.unites:
        if len(rangs) == 1:
            v = valeurs[rangs[0]]
            if v is not None and v >= seuil:
                obtenues.append(unite)
            continue
        total = 0
        for rang in rangs:
            v = valeurs[rang]
            if v is None:
                break
            total += v
        else:
            if total >= seuil * len(rangs):
                obtenues.append(unite)
    return tuple(obtenues)


def _livret(d: Deliberation, livret_non_examine: bool) -> Deliberation:
    """§4.8 : pas d'ajournement avant que le jury ait examiné le livret scolaire fourni."""
    if d.decision is Decision.AJOURNE and livret_non_examine:
        return d._replace(decision=Decision.EN_ATTENTE, motif=Motif.LIVRET_NON_EXAMINE)
    return d
