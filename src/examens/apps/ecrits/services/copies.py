"""Copies anonymes : anonymat, lots par centre de correction, affectation aux correcteurs, suivi des lots,
double saisie des notes (à l'écran ou par fichier).

Anonymat : chaque copie d'un présent reçoit un numéro tiré au hasard (`core.ecrits.numeros_anonymat`) ; la
correspondance numéro → candidat est dans `Correspondance`, que les services lisent (conflits
d'établissement, levée d'anonymat) sans jamais l'exposer ni l'écrire dans l'historique.

Correction : un correcteur ne reçoit jamais un lot qui contient une copie d'un candidat de son établissement
(§2, réglage `organisation.conflit_etablissement_ponctuelle`) ; chaque note est saisie deux fois, de façon
indépendante ; deux saisies qui concordent valident la note, deux saisies qui diffèrent signalent un écart
et la note n'est pas validée.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from examens.apps.ecrits.erreurs import AffectationImpossible, AnonymatImpossible, SaisieImpossible
from examens.apps.ecrits.models import (
    Acheminement,
    Ajustement,
    CommissionHarmonisation,
    Copie,
    Correspondance,
    Lot,
    Place,
    Saisie,
)
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.imports.colonnes import Colonne, Lignes
from examens.apps.imports.rapport import ErreurImport, RapportImport
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.core.ecrits import REGLES_ECRITS, grouper_en_lots, numero_anonymat_valide, numeros_anonymat
from examens.core.reglement import reglement_fourni
from examens.core.resultats import NoteInvalide, lire_note
from examens.tableaux.lecture import Tableau

LOT_REQUETES = 2000


def _verrouillee(epreuve: EpreuveEcrite) -> bool:
    return CommissionHarmonisation.objects.filter(
        epreuve=epreuve, statut=CommissionHarmonisation.Statut.VERROUILLEE
    ).exists()


def _fr(valeur: Decimal) -> str:
    return format(valeur.normalize(), "f").replace(".", ",")


# --- Anonymat et lots -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LigneLots:
    centre_correction: str
    copies: int
    lots: int


@dataclass
class RapportLots:
    epreuve: str
    appliquee: bool
    anonymisees: int = 0  # copies nouvellement anonymisées
    lignes: list[LigneLots] = field(default_factory=list)
    lots_crees: list[Lot] = field(default_factory=list)
    affectations: list[tuple[str, str]] = field(default_factory=list)  # (lot, code du correcteur)
    avertissements: list[str] = field(default_factory=list)

    def resume(self) -> str:
        lots = sum(ligne.lots for ligne in self.lignes)
        copies = sum(ligne.copies for ligne in self.lignes)
        texte = (
            f"{self.epreuve} : {self.anonymisees} copie(s) à anonymiser, {copies} copie(s) réparties en {lots} "
            f"nouveau(x) lot(s)"
        )
        if self.appliquee:
            texte = texte.replace("à anonymiser", "anonymisée(s)")
        else:
            texte += " (simulation : rien n'est enregistré sans --appliquer)"
        return texte + "."


def _centres_de_correction(session: ExamSession) -> dict[int, int]:
    return dict(Acheminement.objects.filter(session=session).values_list("centre_id", "centre_correction_id"))


def centres_corriges_a(*, session: ExamSession, centre_correction: Centre) -> list[int]:
    """Les centres d'examen dont les copies se corrigent dans `centre_correction` : ceux qui y sont acheminés
    (`Acheminement`), et lui-même s'il n'achemine pas ses copies ailleurs."""
    acheminement = _centres_de_correction(session)
    centres = [c for c, cc in acheminement.items() if cc == centre_correction.pk]
    if acheminement.get(centre_correction.pk, centre_correction.pk) == centre_correction.pk:
        centres.append(centre_correction.pk)
    return sorted(set(centres))


@transaction.atomic
def anonymiser(*, epreuve: EpreuveEcrite, acteur: str, centres: Collection[Centre] | None = None) -> int:
    """Crée une copie anonyme pour chaque présent (de `centres`, ou de tous les centres) qui n'en a pas.
    Rend le nombre de copies créées. L'historique garde le nombre, jamais la correspondance."""
    if _verrouillee(epreuve):
        raise AnonymatImpossible(f"{epreuve.epreuve} : l'harmonisation est verrouillée.")
    places = Place.objects.filter(epreuve=epreuve, presence=Place.Presence.PRESENT).exclude(
        candidat__copies_ecrits__epreuve=epreuve
    )
    if centres is not None:
        places = places.filter(salle__centre__in=list(centres))
    a_anonymiser = list(places.order_by("candidat_id").values_list("candidat_id", "salle__centre_id"))
    if not a_anonymiser:
        return 0
    pris = set(Copie.objects.filter(epreuve=epreuve).values_list("numero", flat=True))
    numeros = numeros_anonymat(len(a_anonymiser), deja_pris=pris)
    copies = [
        Copie(epreuve=epreuve, numero=n, centre_id=centre_id)
        for n, (_, centre_id) in zip(numeros, a_anonymiser, strict=True)
    ]
    Copie.objects.bulk_create(copies, batch_size=LOT_REQUETES)
    ids = {c.numero: c.pk for c in copies}
    if any(pk is None for pk in ids.values()):  # base qui ne rend pas les identifiants : on les relit
        ids = dict(Copie.objects.filter(epreuve=epreuve, correspondance__isnull=True).values_list("numero", "id"))
    Correspondance.objects.bulk_create(
        [
            Correspondance(copie_id=ids[n], epreuve=epreuve, candidat_id=cid)
            for n, (cid, _) in zip(numeros, a_anonymiser, strict=True)
        ],
        batch_size=LOT_REQUETES,
    )
    tracer(
        acteur=acteur,
        action=Trace.Action.CREATION,
        objet_type="ecrits.anonymat",
        objet_id=epreuve.pk,
        objet_libelle=f"anonymat — {epreuve.epreuve}",
        apres={"copies_anonymisees": len(copies)},
    )
    return len(copies)


def constituer_lots(
    *,
    epreuve: EpreuveEcrite,
    acteur: str,
    taille: int = REGLES_ECRITS.taille_lot,
    appliquer: bool = False,
    correcteurs: Sequence[Examinateur] = (),
    centre_correction: Centre | None = None,
) -> RapportLots:
    """Anonymise les copies des présents, puis range les copies sans lot en lots d'au plus `taille` copies,
    par centre de correction (`Acheminement`, à défaut le centre d'examen), les copies d'un même
    établissement ensemble (moins de conflits d'intérêts), dans l'ordre des numéros d'anonymat. Avec
    `correcteurs`, affecte aussi les nouveaux lots (`affecter_lots`). Avec `centre_correction`, seulement les
    copies corrigées dans ce centre (celles des centres d'examen qui y sont acheminés). Sans `appliquer`,
    compte seulement."""
    if taille < 1:
        raise AnonymatImpossible("La taille d'un lot est d'au moins une copie.")
    rapport = RapportLots(epreuve=epreuve.epreuve, appliquee=appliquer)
    places = Place.objects.filter(epreuve=epreuve)
    copies_sans_lot = Copie.objects.filter(epreuve=epreuve, lot__isnull=True)
    centres_examen: list[int] | None = None
    if centre_correction is not None:
        centres_examen = centres_corriges_a(session=epreuve.session, centre_correction=centre_correction)
        places = places.filter(salle__centre_id__in=centres_examen)
        copies_sans_lot = copies_sans_lot.filter(centre_id__in=centres_examen)
    a_saisir = places.filter(presence=Place.Presence.A_SAISIR).count()
    if a_saisir:
        rapport.avertissements.append(
            f"{a_saisir} place(s) sans présence saisie : leurs copies n'entrent dans aucun lot pour l'instant."
        )
    with transaction.atomic():
        if appliquer:
            # Deux constitutions simultanées (deux centres de correction, depuis le web) numérotent les lots de la
            # même épreuve : la seconde attend la première.
            EpreuveEcrite.objects.select_for_update().filter(pk=epreuve.pk).first()
            rapport.anonymisees = anonymiser(
                epreuve=epreuve,
                acteur=acteur,
                centres=None if centres_examen is None else list(Centre.objects.filter(pk__in=centres_examen)),
            )
            elements = list(
                copies_sans_lot.values_list("id", "centre_id", "correspondance__candidat__etablissement_id", "numero")
            )
        else:
            nouvelles = list(
                places.filter(presence=Place.Presence.PRESENT)
                .exclude(candidat__copies_ecrits__epreuve=epreuve)
                .values_list("candidat_id", "salle__centre_id", "candidat__etablissement_id", "candidat__numero")
            )
            rapport.anonymisees = len(nouvelles)
            elements = [(None, centre, etab, numero) for _, centre, etab, numero in nouvelles]
            elements += list(
                copies_sans_lot.values_list("id", "centre_id", "correspondance__candidat__etablissement_id", "numero")
            )
        if not elements:
            return rapport
        acheminement = _centres_de_correction(epreuve.session)
        centres = {c.pk: c for c in Centre.objects.filter(pk__in={e[1] for e in elements} | set(acheminement.values()))}

        def correction(e: tuple[Any, ...]) -> int:
            return acheminement.get(e[1], e[1])

        elements.sort(key=lambda e: (centres[correction(e)].code, e[2] or 0, e[3]))
        numero = (Lot.objects.filter(epreuve=epreuve).aggregate(m=Max("numero"))["m"] or 0) + 1
        lots_copies: list[tuple[Lot, list[int]]] = []
        for centre_id, groupe in groupby(elements, key=correction):
            copies = list(groupe)
            lots = grouper_en_lots(copies, taille)
            rapport.lignes.append(LigneLots(centres[centre_id].code, len(copies), len(lots)))
            for contenu in lots:
                lot = Lot(epreuve=epreuve, centre_correction_id=centre_id, numero=numero)
                numero += 1
                lots_copies.append((lot, [e[0] for e in contenu]))
        if not appliquer:
            return rapport
        Lot.objects.bulk_create([lot for lot, _ in lots_copies])
        ids = dict(
            Lot.objects.filter(epreuve=epreuve, numero__in=[lot.numero for lot, _ in lots_copies]).values_list(
                "numero", "id"
            )
        )
        for lot, copies in lots_copies:
            lot.pk = ids[lot.numero]
            Copie.objects.filter(pk__in=copies).update(lot=lot)
        rapport.lots_crees = [lot for lot, _ in lots_copies]
        tracer(
            acteur=acteur,
            action=Trace.Action.CREATION,
            objet_type="ecrits.lots",
            objet_id=epreuve.pk,
            objet_libelle=f"lots de copies — {epreuve.epreuve}",
            apres={
                "taille": taille,
                **({} if centre_correction is None else {"centre_correction": centre_correction.code}),
                "lots": [f"{lot.code} : {len(copies)} copie(s)" for lot, copies in lots_copies],
            },
        )
        if correcteurs:
            rapport.affectations = [
                (lot.code, c.code)
                for lot, c in affecter_lots(lots=rapport.lots_crees, correcteurs=correcteurs, acteur=acteur)
            ]
    return rapport


# --- Affectation aux correcteurs ----------------------------------------------------------------------


def etablissements_des_lots(lots: Collection[Lot]) -> dict[int, set[int]]:
    """Les établissements des candidats de chaque lot (lu dans la correspondance, jamais montré)."""
    resultat: dict[int, set[int]] = {lot.pk: set() for lot in lots}
    for lot_id, etab in Copie.objects.filter(lot__in=list(lots)).values_list(
        "lot_id", "correspondance__candidat__etablissement_id"
    ):
        if etab is not None:
            resultat[lot_id].add(etab)
    return resultat


def _conflit_actif(epreuve: EpreuveEcrite) -> bool:
    return reglement_fourni(epreuve.session.reglement).organisation.conflit_etablissement_ponctuelle


def _trace_affectation(lot: Lot, avant: str | None, correcteur: Examinateur, acteur: str) -> Trace:
    return Trace(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="ecrits.lot",
        objet_id=str(lot.pk),
        objet_libelle=f"lot {lot.code} — correcteur",
        avant={"correcteur": avant},
        apres={"correcteur": correcteur.code},
    )


@transaction.atomic
def affecter_lot(*, lot: Lot, correcteur: Examinateur, acteur: str) -> Lot:
    """Confie un lot à un correcteur. Refusé si le lot contient la copie d'un candidat de l'établissement du
    correcteur, ou si la correction a commencé (une saisie existe). Tracé."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve__session", "correcteur").get(pk=lot.pk)
    if correcteur.session_id != lot.epreuve.session_id:
        raise AffectationImpossible(f"L'examinateur {correcteur.code} n'appartient pas à la session du lot.")
    if Saisie.objects.filter(copie__lot=lot).exists():
        raise AffectationImpossible(f"Lot {lot.code} : des notes sont déjà saisies, le correcteur ne change plus.")
    if (
        _conflit_actif(lot.epreuve)
        and correcteur.etablissement_id is not None
        and correcteur.etablissement_id in etablissements_des_lots([lot])[lot.pk]
    ):
        raise AffectationImpossible(
            f"Lot {lot.code} : il contient la copie d'un candidat de l'établissement de {correcteur.prenom} "
            f"{correcteur.nom} ({correcteur.code}) ; confiez-le à un autre correcteur."
        )
    avant = lot.correcteur.code if lot.correcteur is not None else None
    lot.correcteur = correcteur
    lot.save(update_fields=["correcteur"])
    tracer_en_masse([_trace_affectation(lot, avant, correcteur, acteur)])
    return lot


@transaction.atomic
def affecter_lots(
    *, lots: Sequence[Lot], correcteurs: Sequence[Examinateur], acteur: str
) -> list[tuple[Lot, Examinateur]]:
    """Confie chaque lot sans correcteur au correcteur le moins chargé (en copies) qui n'a aucun candidat de
    son établissement dans le lot. Tout ou rien : un lot qu'aucun correcteur ne peut prendre arrête tout."""
    if not correcteurs:
        raise AffectationImpossible("Donnez au moins un correcteur.")
    lots = list(
        Lot.objects.select_for_update(of=("self",))
        .filter(pk__in=[lot.pk for lot in lots], correcteur__isnull=True)
        .select_related("epreuve__session")
        .order_by("numero")
    )
    if not lots:
        return []
    # Compté à part : PostgreSQL refuse FOR UPDATE avec un GROUP BY.
    nombres = dict(
        Copie.objects.filter(lot__in=lots).values_list("lot_id").annotate(n=Count("id")).values_list("lot_id", "n")
    )
    conflit = _conflit_actif(lots[0].epreuve)
    etablissements = etablissements_des_lots(lots)
    charge = dict.fromkeys((c.pk for c in correcteurs), 0)
    for correcteur_id, n in (
        Copie.objects.filter(epreuve=lots[0].epreuve, lot__correcteur__in=list(correcteurs))
        .values_list("lot__correcteur_id")
        .annotate(n=Count("id"))
    ):
        charge[correcteur_id] = n
    affectations: list[tuple[Lot, Examinateur]] = []
    # Les lots les plus contraints (plus d'établissements) d'abord.
    for lot in sorted(lots, key=lambda lot: (-len(etablissements[lot.pk]), lot.numero)):
        possibles = [
            c
            for c in correcteurs
            if c.session_id == lot.epreuve.session_id
            and not (conflit and c.etablissement_id is not None and c.etablissement_id in etablissements[lot.pk])
        ]
        if not possibles:
            raise AffectationImpossible(
                f"Lot {lot.code} : chaque correcteur proposé a un candidat de son établissement dans ce lot ; "
                "ajoutez un correcteur d'un autre établissement."
            )
        choisi = min(possibles, key=lambda c: (charge[c.pk], c.code))
        charge[choisi.pk] += nombres.get(lot.pk, 0)
        affectations.append((lot, choisi))
    for lot, c in affectations:
        lot.correcteur = c
    Lot.objects.bulk_update([lot for lot, _ in affectations], ["correcteur"])
    tracer_en_masse([_trace_affectation(lot, None, c, acteur) for lot, c in affectations])
    return sorted(affectations, key=lambda a: a[0].numero)


# --- Suivi des lots -----------------------------------------------------------------------------------


def _changer_statut(lot: Lot, statut: Lot.Statut, champ: str, acteur: str) -> Lot:
    avant = lot.statut
    lot.statut = statut
    setattr(lot, champ, timezone.now())
    lot.save(update_fields=["statut", champ])
    tracer(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="ecrits.lot",
        objet_id=lot.pk,
        objet_libelle=f"lot {lot.code} — suivi",
        avant={"statut": avant},
        apres={"statut": statut.value},
    )
    return lot


@transaction.atomic
def remettre_lot(*, lot: Lot, acteur: str) -> Lot:
    """Le lot est remis à son correcteur (les copies partent)."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve").get(pk=lot.pk)
    if lot.correcteur_id is None:
        raise AffectationImpossible(f"Lot {lot.code} : confiez-le d'abord à un correcteur.")
    if lot.statut != Lot.Statut.CONSTITUE:
        raise AffectationImpossible(f"Lot {lot.code} : déjà {lot.get_statut_display()}.")
    return _changer_statut(lot, Lot.Statut.REMIS, "remis_le", acteur)


@transaction.atomic
def rendre_lot(*, lot: Lot, acteur: str) -> Lot:
    """Les copies corrigées sont rendues au centre de correction (toutes les notes sont validées)."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve").get(pk=lot.pk)
    if lot.statut != Lot.Statut.CORRIGE:
        raise AffectationImpossible(
            f"Lot {lot.code} : {lot.get_statut_display()} ; il se rend une fois toutes ses notes validées."
        )
    return _changer_statut(lot, Lot.Statut.RENDU, "rendu_le", acteur)


# --- Double saisie ------------------------------------------------------------------------------------


@dataclass
class BilanSaisie:
    saisies: int = 0  # saisies enregistrées (nouvelles ou changées)
    validees: int = 0  # copies dont la note vient d'être validée (ou a changé)
    ecarts: list[str] = field(default_factory=list)  # numéros d'anonymat dont les deux saisies diffèrent
    restantes: int = 0  # copies du lot sans note validée

    def resume(self) -> str:
        texte = f"{self.saisies} saisie(s) enregistrée(s), {self.validees} note(s) validée(s)"
        if self.ecarts:
            texte += f", {len(self.ecarts)} écart(s) entre les deux saisies ({', '.join(self.ecarts[:10])})"
        return texte + f" ; {self.restantes} copie(s) du lot sans note validée."


def _valeur(d: Decimal | None) -> str | None:
    return None if d is None else f"{d:.2f}"


def _enregistrer_saisies(
    *, lot: Lot, rang: int, notes: Mapping[str, Decimal], acteur: str, motif: str = ""
) -> BilanSaisie:
    """Le cœur de la saisie (notes déjà lues et vérifiées), dans la transaction de l'appelant."""
    copies = {c.numero: c for c in Copie.objects.select_for_update(of=("self",)).filter(lot=lot)}
    saisies = {(s.copie_id, s.rang): s for s in Saisie.objects.select_for_update(of=("self",)).filter(copie__lot=lot)}
    harmonise = Ajustement.objects.filter(lot=lot).exists()
    bilan = BilanSaisie()
    a_creer: list[Saisie] = []
    a_modifier: list[Saisie] = []
    copies_changees: list[Copie] = []
    traces: list[Trace] = []
    maintenant = timezone.now()
    for numero, note in notes.items():
        copie = copies[numero]
        existante = saisies.get((copie.pk, rang))
        if existante is not None and existante.note == note:
            continue
        if harmonise and copie.note_initiale is not None:
            raise SaisieImpossible(
                f"Copie {numero} : le lot {lot.code} a été harmonisé ; une note validée ne se ressaisit plus "
                "(la commission d'harmonisation ajuste note à note)."
            )
        bilan.saisies += 1
        if existante is None:
            existante = Saisie(copie=copie, rang=rang, note=note, saisie_par=acteur, saisie_le=maintenant)
            a_creer.append(existante)
            avant = None
        else:
            avant = {"note": _valeur(existante.note), "par": existante.saisie_par}
            existante.note, existante.saisie_par, existante.saisie_le = note, acteur, maintenant
            a_modifier.append(existante)
        saisies[(copie.pk, rang)] = existante
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.CREATION if avant is None else Trace.Action.MODIFICATION,
                objet_type="ecrits.saisie",
                objet_id=f"{copie.pk}:{rang}",
                objet_libelle=f"copie {lot.epreuve.epreuve} n° {numero} — saisie {rang}",
                avant=avant,
                apres={"note": _valeur(note)},
                motif=motif,
            )
        )
        # Comparaison des deux saisies : concordantes, la note est validée ; sinon, écart, rien n'est validé.
        autre = saisies.get((copie.pk, 3 - rang))
        validee = note if autre is not None and autre.note == note else None
        ecart = autre is not None and autre.note != note
        if (copie.note_initiale, copie.ecart) != (validee, ecart):
            traces.append(
                Trace(
                    acteur=acteur,
                    action=Trace.Action.DECISION,
                    objet_type="ecrits.copie",
                    objet_id=str(copie.pk),
                    objet_libelle=f"copie {lot.epreuve.epreuve} n° {numero} — note validée",
                    avant={"note_initiale": _valeur(copie.note_initiale), "ecart": copie.ecart},
                    apres={"note_initiale": _valeur(validee), "ecart": ecart},
                    motif="double saisie concordante" if validee is not None else "double saisie incomplète ou écart",
                )
            )
            if validee is not None:
                bilan.validees += 1
            copie.note_initiale, copie.ecart = validee, ecart
            copies_changees.append(copie)
    Saisie.objects.bulk_create(a_creer)
    Saisie.objects.bulk_update(a_modifier, ["note", "saisie_par", "saisie_le"])
    Copie.objects.bulk_update(copies_changees, ["note_initiale", "ecart"])
    tracer_en_masse(traces)
    bilan.ecarts = sorted(c.numero for c in copies.values() if c.ecart)
    bilan.restantes = sum(1 for c in copies.values() if c.note_initiale is None)
    # Suivi : le lot est corrigé quand toutes ses notes sont validées (et ne l'est plus sinon).
    if lot.statut in (Lot.Statut.REMIS, Lot.Statut.CORRIGE, Lot.Statut.CONSTITUE):
        statut = Lot.Statut.CORRIGE if bilan.restantes == 0 and copies else Lot.Statut.REMIS
        if statut != lot.statut:
            _changer_statut(lot, statut, "corrige_le" if statut == Lot.Statut.CORRIGE else "remis_le", acteur)
    return bilan


def _lire_notes(lot: Lot, notes: Mapping[str, str | Decimal]) -> dict[str, Decimal]:
    reglement = reglement_fourni(lot.epreuve.session.reglement)
    connues = set(Copie.objects.filter(lot=lot).values_list("numero", flat=True))
    lues: dict[str, Decimal] = {}
    erreurs = []
    for brut, valeur in notes.items():
        numero = str(brut).strip()
        if numero not in connues:
            erreurs.append(f"la copie n° {numero} n'est pas dans le lot {lot.code}")
            continue
        try:
            n = lire_note(str(valeur), maximum=reglement.notes.maximum, pas=reglement.notes.pas)
        except NoteInvalide as exc:
            erreurs.append(f"copie n° {numero} : {exc.message.rstrip('.')}")
            continue
        lues[numero] = n.valeur.quantize(Decimal("0.01"))
    if erreurs:
        raise SaisieImpossible("; ".join(erreurs) + " — rien n'est enregistré.")
    return lues


def _verifier_lot_saisissable(lot: Lot) -> None:
    if _verrouillee(lot.epreuve):
        raise SaisieImpossible(f"{lot.epreuve.epreuve} : l'harmonisation est verrouillée, les notes ne changent plus.")
    if lot.correcteur_id is None:
        raise SaisieImpossible(f"Lot {lot.code} : il n'a pas encore de correcteur.")
    if lot.statut == Lot.Statut.RENDU:
        raise SaisieImpossible(f"Lot {lot.code} : déjà rendu ; les notes ne se ressaisissent plus.")


@transaction.atomic
def saisir_notes(
    *, lot: Lot, rang: int, notes: Mapping[str, str | Decimal], acteur: str, motif: str = ""
) -> BilanSaisie:
    """Une saisie (`rang` 1 ou 2) des notes d'un lot, par numéro d'anonymat (« 12,5 »). Tout ou rien ;
    chaque saisie est tracée. Les deux saisies d'une copie concordent : la note est validée ; elles
    diffèrent : l'écart est signalé, la note n'est pas validée (une nouvelle saisie le résout)."""
    if rang not in (1, 2):
        raise SaisieImpossible("Une note se saisit deux fois : saisie 1 ou saisie 2.")
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve__session").get(pk=lot.pk)
    _verifier_lot_saisissable(lot)
    return _enregistrer_saisies(lot=lot, rang=rang, notes=_lire_notes(lot, notes), acteur=acteur, motif=motif)


# --- Import d'un fichier de notes par copie -----------------------------------------------------------


@dataclass
class RapportNotesCopies(RapportImport):
    validees: int = 0  # notes validées par cet import (saisies concordantes)
    ecarts: list[str] = field(default_factory=list)  # copies dont les deux saisies diffèrent, après l'import

    def resume(self) -> str:
        texte = super().resume()
        if self.applique:
            texte += f" Notes validées : {self.validees} ; écarts entre les deux saisies : {len(self.ecarts)}"
            texte += f" ({', '.join(self.ecarts[:10])})." if self.ecarts else "."
        return texte


COLONNES_NOTES_COPIES = (
    Colonne("epreuve", "le code de l'épreuve écrite", "E1, E3 ou E5A", "E1", alias=("epreuve_ecrite",)),
    Colonne(
        "numero_anonymat",
        "le numéro d'anonymat de la copie",
        "8 chiffres",
        "48273915",
        True,
        ("anonymat", "numero", "numero_copie", "copie", "numero_d_anonymat", "n_d_anonymat"),
    ),
    Colonne("note", "la note de la copie", "de 0 à 20 au pas de 0,5 (12,5 ou 12.5)", "12,5", True),
)


def importer_notes_copies(
    *,
    session: ExamSession,
    tableau: Tableau,
    rang: int,
    acteur: str,
    appliquer: bool = False,
    epreuve: EpreuveEcrite | None = None,
) -> RapportNotesCopies:
    """Une saisie (1 ou 2) des notes de copies anonymes depuis un tableau CSV/XLSX (numéro d'anonymat, note,
    et l'épreuve si `epreuve` n'est pas donnée). Toutes les erreurs sont listées avec leur ligne et leur
    colonne ; rien n'est écrit tant qu'il en reste une. Sans `appliquer`, compte seulement."""
    if rang not in (1, 2):
        raise SaisieImpossible("Une note se saisit deux fois : saisie 1 ou saisie 2.")
    rapport = RapportNotesCopies("notes de copies", tableau.source.rsplit("/", 1)[-1])
    lignes = Lignes(tableau, COLONNES_NOTES_COPIES, rapport)
    reglement = reglement_fourni(session.reglement)
    calendrier = {e.epreuve.upper(): e for e in session.calendrier.all()}
    if epreuve is None and not lignes.present("epreuve") and not rapport.erreurs:
        rapport.erreurs.append(
            ErreurImport(
                "Ligne 1",
                "colonne « epreuve » absente ; ajoutez-la à l'en-tête ou précisez l'épreuve (--epreuve).",
                ligne=1,
                colonne="epreuve",
            )
        )
    if rapport.erreurs:
        return rapport
    lues: list[tuple[int, EpreuveEcrite, str, Decimal]] = []
    vus: dict[tuple[int, str], int] = {}
    for ligne in lignes:
        ep = epreuve
        texte_epreuve = ligne.cellule("epreuve")
        if texte_epreuve:
            ep = calendrier.get(texte_epreuve.upper().replace(" ", ""))
            if ep is None:
                ligne.erreur(
                    "epreuve",
                    f"épreuve écrite « {texte_epreuve} » inconnue du calendrier ; écrivez l'un des codes : "
                    f"{', '.join(e.epreuve for e in calendrier.values())}.",
                )
            elif epreuve is not None and ep.pk != epreuve.pk:
                ligne.erreur("epreuve", f"la ligne porte sur {ep.epreuve}, l'import sur {epreuve.epreuve}.")
                ep = None
        elif epreuve is None:
            ligne.erreur("epreuve", "cellule vide ; indiquez le code de l'épreuve (E1, E3 ou E5A).")
        numero = (ligne.cellule("numero_anonymat") or "").replace(" ", "")
        if not numero:
            ligne.erreur("numero_anonymat", "cellule vide ; indiquez le numéro d'anonymat de la copie.")
        elif not numero_anonymat_valide(numero):
            ligne.erreur(
                "numero_anonymat",
                f"« {numero} » n'est pas un numéro d'anonymat valide (8 chiffres, le dernier est une clé de "
                "contrôle) ; vérifiez la frappe.",
            )
        texte_note = ligne.cellule("note") or ""
        note = None
        if not texte_note:
            ligne.erreur("note", "cellule vide ; indiquez la note de la copie (par ex. 12,5).")
        else:
            try:
                note = lire_note(texte_note, maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
            except NoteInvalide as exc:
                ligne.erreur(
                    "note",
                    f"{exc.message.rstrip('.')} ; écrivez une note de 0 à {_fr(reglement.notes.maximum)} au pas "
                    f"de {_fr(reglement.notes.pas)} (par ex. 12,5).",
                )
        if ligne.erreurs or ep is None or note is None:
            continue
        cle = (ep.pk, numero)
        if cle in vus:
            ligne.erreur("numero_anonymat", f"la copie {numero} figure déjà ligne {vus[cle]} ; gardez une ligne.")
            continue
        vus[cle] = ligne.numero
        lues.append((ligne.numero, ep, numero, note.quantize(Decimal("0.01"))))
    # Les copies : existantes, dans un lot confié à un correcteur, harmonisation ouverte.
    par_epreuve: dict[int, dict[str, Copie]] = {}
    for _, ep, _, _ in lues:
        if ep.pk not in par_epreuve:
            par_epreuve[ep.pk] = {
                c.numero: c
                for c in Copie.objects.filter(epreuve=ep, numero__in=[n for _, e, n, _ in lues if e.pk == ep.pk])
                .select_related("lot__epreuve__session")
                .prefetch_related("saisies")
            }
    verrous = {ep.pk: _verrouillee(ep) for _, ep, _, _ in lues}
    harmonises = set(
        Ajustement.objects.filter(lot__epreuve_id__in=list(verrous)).values_list("lot_id", flat=True).distinct()
    )
    par_lot: dict[int, tuple[Lot, dict[str, Decimal]]] = {}
    for numero_ligne, ep, numero, note in lues:
        copie = par_epreuve[ep.pk].get(numero)
        position = tableau.position(numero_ligne, lignes.index["numero_anonymat"])
        if copie is None:
            rapport.erreurs.append(
                ErreurImport(
                    position, f"aucune copie n° {numero} en {ep.epreuve} ; vérifiez le numéro.", ligne=numero_ligne
                )
            )
            continue
        if verrous[ep.pk]:
            rapport.erreurs.append(
                ErreurImport(
                    position,
                    f"{ep.epreuve} : l'harmonisation est verrouillée, les notes ne changent plus.",
                    ligne=numero_ligne,
                )
            )
            continue
        if copie.lot is None or copie.lot.correcteur_id is None or copie.lot.statut == Lot.Statut.RENDU:
            rapport.erreurs.append(
                ErreurImport(
                    position,
                    f"la copie {numero} n'est pas dans un lot en correction (lot constitué, confié à un correcteur, "
                    "pas encore rendu).",
                    ligne=numero_ligne,
                )
            )
            continue
        existante = next((s for s in copie.saisies.all() if s.rang == rang), None)
        if (
            copie.note_initiale is not None
            and copie.lot_id in harmonises
            and (existante is None or existante.note != note)
        ):
            rapport.erreurs.append(
                ErreurImport(
                    position,
                    f"le lot de la copie {numero} a été harmonisé : sa note validée ne se ressaisit plus.",
                    ligne=numero_ligne,
                )
            )
            continue
        if existante is None:
            rapport.crees += 1
        elif existante.note == note:
            rapport.inchanges += 1
        else:
            rapport.modifies += 1
        par_lot.setdefault(copie.lot.pk, (copie.lot, {}))[1][numero] = note
    if rapport.erreurs or not appliquer:
        return rapport
    with transaction.atomic():
        for lot, notes in par_lot.values():
            bilan = _enregistrer_saisies(
                lot=lot, rang=rang, notes=notes, acteur=acteur, motif=f"import du fichier {rapport.fichier}"
            )
            rapport.validees += bilan.validees
            rapport.ecarts += bilan.ecarts
    rapport.applique = True
    return rapport
