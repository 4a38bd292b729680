"""Les épreuves écrites et les sujets de la session de démonstration, construits par les services des applications.

Rien ne s'écrit ici directement en base : chaque acte passe par le service de l'application qui le porte
(`ecrits.services`, `sujets.services`), avec ses règles et ses traces, sous l'identifiant du compte de
démonstration qui l'aurait accompli sur le site (« chef-centre », « gestionnaire ») ou le code de l'examinateur.
L'état construit est « en cours », pour que chaque écran ait quelque chose à montrer et quelque chose à faire :

- écrits (`construire_ecrits_demo`, avant la délibération : une absence justifiée change le résultat de
  l'épreuve, ce qu'une délibération verrouillée refuserait) : répartition en salles de tous les centres ; dans
  le centre du compte « chef-centre », surveillants, présences, procès-verbaux, absences (dont une force majeure
  reconnue sur pièce), anonymat et lots ; E1 confiée aux correcteurs (dont un lot au compte « examinateur »),
  double saisie sur une partie des copies (un écart), commission d'harmonisation ouverte et un lot ajusté ;
  E3 confiée, première saisie commencée ; E5A en lots, sans correcteur. Ni verrouillage ni levée d'anonymat ;
- sujets (`construire_sujets_demo`, après la planification publiée) : contexte numérique publié, banque E5B
  équilibrée (PDF générés) diffusée, sujets attribués à tous les passages E5B des plannings publiés, postes E5B
  du centre déclarés, vérifiés et signés, fiches-sujets E4 (prêtes et en brouillon), fiches d'engagement.

La note d'une copie est celle que le générateur de la session a donnée au candidat pour l'épreuve (lue dans la
correspondance, comme le correcteur lirait la copie) : une levée d'anonymat rendrait les notes délibérées, aux
ajustements d'harmonisation près. Les tirages suivent la graine de la démonstration ; seuls les numéros
d'anonymat, tirés par le générateur du système (`core.ecrits.numeros_anonymat`), changent d'une construction à
l'autre, et avec eux la composition exacte des lots aux frontières d'établissements.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import textwrap
import time as chrono
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from examens.apps.candidats.models import Candidat
from examens.apps.demo import donnees as D
from examens.apps.demo.services import DemoImpossible, centre_demo, examinateur_demo
from examens.apps.dossiers.models import FicheActivite
from examens.apps.ecrits import services as ecrits
from examens.apps.ecrits.erreurs import AffectationImpossible
from examens.apps.ecrits.models import Absence, Copie, Lot, Place
from examens.apps.examinateurs.models import Examinateur
from examens.apps.notes.models import Etat, Origine, Resultat
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.sujets import services as sujets
from examens.apps.sujets.models import FicheEngagement, FicheSujet, PosteE5B, Support
from examens.core.ecrits import REGLES_ECRITS, RepartitionImpossible

# Les identifiants des comptes de démonstration (`services.COMPTES_DEMO`) : l'acteur des traces.
GESTIONNAIRE = "gestionnaire"
CHEF = "chef-centre"
PARIS = ZoneInfo("Europe/Paris")

INTITULES = {
    "E1": "Culture générale et expression",
    "E3": "Culture économique, juridique et managériale",
    "E5A": "Relation client à distance et digitalisation (écrit)",
}


def _paris(mois: int, jour: int, heure: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2022, mois, jour, heure, minute, tzinfo=PARIS).astimezone(dt.UTC)


def _fr(valeur: Decimal) -> str:
    return format(valeur.normalize(), "f").replace(".", ",")


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def pdf_demo(titre: str, lignes: Sequence[str]) -> bytes:
    """Un PDF d'une page (titre, paragraphes, mention « document fictif »), identique octet pour octet d'une
    construction à l'autre (`invariant`) : de quoi ouvrir un sujet, une grille ou un justificatif dans la démo."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    tampon = io.BytesIO()
    page = Canvas(tampon, pagesize=A4, invariant=1)
    page.setTitle(titre)
    page.setAuthor("BTS NDRC — session 2022 (démonstration)")
    _, hauteur = A4
    y = hauteur - 72
    page.setFont("Helvetica-Bold", 14)
    page.drawString(56, y, titre)
    y -= 30
    page.setFont("Helvetica", 10.5)
    for paragraphe in lignes:
        for ligne in textwrap.wrap(paragraphe, 92) or [""]:
            page.drawString(56, y, ligne)
            y -= 15
        y -= 6
    page.setFont("Helvetica-Oblique", 8)
    page.drawString(56, 40, "Document fictif de la démonstration « examens » — aucune donnée réelle.")
    page.showPage()
    page.save()
    return tampon.getvalue()


# =========================================================================== écrits


@dataclass
class BilanEpreuve:
    """Ce que la démonstration a fait d'une épreuve écrite dans le centre du chef de centre."""

    epreuve: str
    salles: int = 0
    surveillants: int = 0
    presents: int = 0
    absents: int = 0
    a_saisir: int = 0
    abj: int = 0
    refusees: int = 0
    a_statuer: int = 0
    incidents: int = 0
    copies: int = 0
    lots: int = 0
    lots_confies: int = 0
    correcteurs: int = 0
    notes_validees: int = 0
    ecarts: int = 0
    ajustement: str = ""

    def ligne(self) -> str:
        texte = (
            f"{self.epreuve} : {self.salles} salle(s), {self.surveillants} surveillant(s) ; {self.presents} présent(s), "
            f"{self.absents} absent(s)"
        )
        statuts = [
            f"{n} {quoi}"
            for n, quoi in ((self.abj, "ABJ"), (self.refusees, "AB maintenue(s)"), (self.a_statuer, "à statuer"))
            if n
        ]
        if statuts:
            texte += f" ({', '.join(statuts)})"
        if self.a_saisir:
            texte += f", {self.a_saisir} à saisir"
        if self.incidents:
            texte += f", {self.incidents} {'procès-verbal' if self.incidents == 1 else 'procès-verbaux'}"
        texte += f" ; {self.copies} copies anonymes en {self.lots} lots"
        if self.lots_confies:
            texte += f", {self.lots_confies} confiés à {self.correcteurs} correcteur(s)"
        else:
            texte += ", sans correcteur"
        if self.notes_validees or self.ecarts:
            texte += f" ; {self.notes_validees} note(s) validée(s) en double saisie, {self.ecarts} écart(s)"
        if self.ajustement:
            texte += f" ; harmonisation : {self.ajustement}"
        return texte


@dataclass
class ResumeEcrits:
    centre: str
    centres_repartis: int = 0
    places: int = 0
    epreuves: list[BilanEpreuve] = field(default_factory=list)
    lot_examinateur: str = ""
    examinateur: str = ""
    avertissements: list[str] = field(default_factory=list)
    duree_secondes: float = 0.0

    def lignes(self) -> list[str]:
        lignes = [
            f"répartition en salles : {self.centres_repartis} centre(s), {_nombre(self.places)} places (convocations, "
            "émargements, plans de salle)",
            f"centre du compte « chef-centre » : {self.centre}",
            *(f"  {b.ligne()}" for b in self.epreuves),
        ]
        if self.lot_examinateur:
            lignes.append(f"compte « examinateur » ({self.examinateur}) : lot {self.lot_examinateur} à corriger")
        lignes += [f"⚠ {a}" for a in self.avertissements]
        return lignes


def construire_ecrits_demo(*, session: ExamSession, graine: int = 2022) -> ResumeEcrits:
    """Les épreuves écrites de la démonstration, « en cours » (voir le module). À appeler sur une session de
    démonstration fraîche, avant la délibération ; tout ou rien."""
    debut = chrono.perf_counter()
    centre = centre_demo(session)
    if centre is None:
        raise DemoImpossible("La session de démonstration n'a aucun centre dans l'académie pilote.")
    with transaction.atomic():
        resume = _Ecrits(session, centre, random.Random(f"ecrits-{graine}")).construire()
    resume.duree_secondes = chrono.perf_counter() - debut
    return resume


class _Ecrits:
    def __init__(self, session: ExamSession, centre: Centre, rng: random.Random) -> None:
        self.session = session
        self.centre = centre
        self.rng = rng
        self.examinateur = examinateur_demo(session)
        self.resume = ResumeEcrits(centre=f"{centre.nom} ({centre.code})")
        if self.examinateur is not None:
            self.resume.examinateur = f"{self.examinateur.prenom} {self.examinateur.nom} ({self.examinateur.code})"

    def construire(self) -> ResumeEcrits:
        self._repartir()
        calendrier = list(self.session.calendrier.order_by("debut"))
        self._equipes()
        self.resultats = {
            (cid, epreuve): (etat, origine, note)
            for cid, epreuve, etat, origine, note in Resultat.objects.filter(
                candidat__session=self.session,
                candidat__centre=self.centre,
                epreuve__in=[e.epreuve for e in calendrier],
            ).values_list("candidat_id", "epreuve", "etat", "origine", "note_examinateur")
        }
        justifiees, refusee, force = self._absences_a_statuer(calendrier)
        for rang, epreuve in enumerate(calendrier):
            bilan = BilanEpreuve(epreuve.epreuve)
            self.resume.epreuves.append(bilan)
            self._jour_j(epreuve, bilan, force)
            self._statuer(epreuve, bilan, justifiees, refusee)
            self._lots(epreuve, bilan, rang)
            self._compter(epreuve, bilan)
        return self.resume

    # -- avant le jour J ------------------------------------------------------------------------------

    def _repartir(self) -> None:
        """Chaque centre répartit ses candidats : les convocations et les émargements portent salle et table."""
        from examens.apps.planification.selectors import centres_de_la_session

        for c in centres_de_la_session(self.session):
            try:
                rapport = ecrits.repartir_centre(
                    session=self.session,
                    centre=c,
                    acteur=CHEF if c.pk == self.centre.pk else GESTIONNAIRE,
                    appliquer=True,
                )
            except RepartitionImpossible as exc:
                self.resume.avertissements.append(f"répartition du centre {c.code} impossible : {exc.message}")
                continue
            self.resume.centres_repartis += 1
            self.resume.places += rapport.creees

    def _equipes(self) -> None:
        """Surveillants et correcteurs : des examinateurs de l'académie pilote (jamais le compte « examinateur »,
        qui corrige son lot), tirés une fois pour toutes ; des personnels du centre nommés."""
        autres = [
            x
            for x in Examinateur.objects.filter(session=self.session, academie_id=self.centre.academie_id).order_by(
                "code"
            )
            if self.examinateur is None or x.pk != self.examinateur.pk
        ]
        self.tous = autres
        enseignants = [x for x in autres if x.qualite == "enseignant"]
        if len(enseignants) < 4:
            enseignants = autres
        correcteurs = self.rng.sample(enseignants, min(len(enseignants), 8))
        self.correcteurs = {"E1": correcteurs[:4], "E3": correcteurs[4:] or correcteurs[:4]}
        restants = [x for x in autres if x not in correcteurs]
        self.rng.shuffle(restants)
        self.surveillants_examinateurs = restants
        noms = [f"{p} {n}" for p in D.PRENOMS for n in D.NOMS]
        self.surveillants_nommes = self.rng.sample(noms, 40)

    def _absences_a_statuer(
        self, calendrier: list[EpreuveEcrite]
    ) -> tuple[set[tuple[int, str]], tuple[int, str] | None, tuple[int, str] | None]:
        """Les absences que la division des examens statue : celles que le générateur a marquées ABJ (force
        majeure, sur pièce) ; une AB avec un justificatif refusé. Si le centre n'a aucune absence justifiée, un
        absent de la première épreuve (à défaut, un présent tiré au sort) le devient : la démonstration montre
        toujours une décision ABJ."""
        places = set(
            Place.objects.filter(epreuve__in=calendrier, salle__centre=self.centre).values_list(
                "candidat_id", "epreuve__epreuve"
            )
        )
        origine_session = [
            (cle, etat)
            for cle, (etat, origine, _) in sorted(self.resultats.items())
            if origine == Origine.SESSION and cle in places
        ]
        justifiees = {cle for cle, etat in origine_session if etat == Etat.ABSENT_JUSTIFIE}
        ab = [cle for cle, etat in origine_session if etat == Etat.ABSENT]
        force: tuple[int, str] | None = None
        if not justifiees and calendrier:
            premiere = calendrier[0].epreuve
            ab_premiere = [cle for cle in ab if cle[1] == premiere]
            if ab_premiere:
                justifiees.add(ab_premiere[0])
            else:
                presents = [cle for cle, etat in origine_session if etat == Etat.NOTE and cle[1] == premiere]
                if presents:
                    force = self.rng.choice(presents)
                    justifiees.add(force)
        refusee = next((cle for cle in ab if cle not in justifiees), None)
        return justifiees, refusee, force

    # -- jour J ---------------------------------------------------------------------------------------

    def _jour_j(self, epreuve: EpreuveEcrite, bilan: BilanEpreuve, force: tuple[int, str] | None) -> None:
        par_salle: dict[int, list[int]] = {}
        for salle_id, cid in (
            Place.objects.filter(epreuve=epreuve, salle__centre=self.centre)
            .order_by("salle_id", "numero")
            .values_list("salle_id", "candidat_id")
        ):
            par_salle.setdefault(salle_id, []).append(cid)
        salles = {s.pk: s for s in Salle.objects.filter(pk__in=list(par_salle))}
        ordre = sorted(par_salle, key=lambda pk: (-len(par_salle[pk]), salles[pk].nom))
        examinateurs = iter(self.surveillants_examinateurs)
        noms = iter(self.surveillants_nommes)
        saisie_le = epreuve.debut + dt.timedelta(minutes=30)
        for salle_id in ordre:
            salle, candidats = salles[salle_id], par_salle[salle_id]
            nombre = max(REGLES_ECRITS.surveillants_par_salle, -(-len(candidats) // 40))
            surveillants = [x for x in (next(examinateurs, None) for _ in range(nombre // 2)) if x is not None]
            nommes = [next(noms) for _ in range(nombre - len(surveillants))]
            ecrits.affecter_surveillants(
                epreuve=epreuve, salle=salle, acteur=CHEF, examinateurs=surveillants, noms=nommes
            )
            bilan.surveillants += len(surveillants) + len(nommes)
            presences: dict[int, str] = {}
            for cid in candidats:
                resultat = self.resultats.get((cid, epreuve.epreuve))
                if resultat is None:  # épreuve non présentée cette session (forme progressive) : pas pointé
                    continue
                etat, origine, _ = resultat
                absent = origine != Origine.SESSION or etat in (Etat.ABSENT, Etat.ABSENT_JUSTIFIE)
                if (cid, epreuve.epreuve) == force:
                    absent = True
                if absent or etat == Etat.NOTE:
                    presences[cid] = "absent" if absent else "present"  # valeurs de Place.Presence
            ecrits.saisir_presences(
                epreuve=epreuve, salle=salle, presences=presences, acteur=CHEF, maintenant=saisie_le
            )
        bilan.salles = len(ordre)
        if not ordre:
            return
        grande = salles[ordre[0]]
        locale = epreuve.debut.astimezone(ZoneInfo(self.centre.fuseau))
        if epreuve.epreuve == "E1":
            ecrits.consigner_incident(
                epreuve=epreuve,
                nature="incident",
                salle=grande,
                survenu_le=epreuve.debut + dt.timedelta(minutes=72),
                description=(
                    f"Déclenchement intempestif de l'alarme incendie à {(locale + dt.timedelta(minutes=72)):%H:%M}. "
                    "Les candidats sont restés à leur place sur consigne du chef de centre ; l'alarme a été coupée "
                    "au bout de 6 minutes."
                ),
                mesures="6 minutes ajoutées à la fin de l'épreuve pour toute la salle, mentionnées au procès-verbal.",
                acteur=CHEF,
            )
        elif epreuve.epreuve == "E3":
            presents = sorted(
                Place.objects.filter(epreuve=epreuve, salle=grande, presence=Place.Presence.PRESENT).values_list(
                    "candidat_id", flat=True
                )
            )
            if presents:
                candidat = Candidat.objects.get(pk=self.rng.choice(presents))
                ecrits.consigner_incident(
                    epreuve=epreuve,
                    nature="suspicion_fraude",
                    candidat=candidat,
                    survenu_le=epreuve.debut + dt.timedelta(minutes=95),
                    description=(
                        "Un téléphone portable allumé a été trouvé dans la trousse du candidat lors d'un passage "
                        "des surveillants. Le candidat déclare avoir oublié de l'éteindre."
                    ),
                    mesures=(
                        "Téléphone retiré et placé sur le bureau des surveillants ; le candidat a poursuivi l'épreuve "
                        "(il n'est pas exclu de la salle). Procès-verbal transmis à la division des examens."
                    ),
                    acteur=CHEF,
                )

    def _statuer(
        self,
        epreuve: EpreuveEcrite,
        bilan: BilanEpreuve,
        justifiees: set[tuple[int, str]],
        refusee: tuple[int, str] | None,
    ) -> None:
        """La division des examens reçoit les pièces et statue (le candidat et son établissement sont avertis)."""
        absences = (
            Absence.objects.filter(place__epreuve=epreuve, place__salle__centre=self.centre)
            .select_related("place__candidat")
            .order_by("place__candidat__numero")
        )
        for absence in absences:
            cle = (absence.place.candidat_id, epreuve.epreuve)
            numero = absence.place.candidat.numero
            if cle in justifiees:
                nom, titre, lignes, force_majeure, motif = (
                    f"certificat-medical-{numero}.pdf",
                    "Certificat médical (fictif)",
                    [
                        f"Je soussignée, docteure en médecine, certifie avoir examiné le candidat n° {numero} le "
                        f"{epreuve.debut.astimezone(PARIS):%d/%m/%Y} et que son état de santé ne lui permettait "
                        "pas de se rendre à l'épreuve écrite.",
                        "Certificat établi à la demande de l'intéressé et remis en main propre.",
                    ],
                    True,
                    "Certificat médical daté du jour de l'épreuve : force majeure reconnue.",
                )
            elif cle == refusee:
                nom, titre, lignes, force_majeure, motif = (
                    f"attestation-employeur-{numero}.pdf",
                    "Attestation de l'employeur (fictive)",
                    [
                        f"L'entreprise atteste que le candidat n° {numero} était retenu à son poste le jour de "
                        "l'épreuve en raison d'un inventaire.",
                    ],
                    False,
                    "Une obligation professionnelle prévisible n'est pas un cas de force majeure.",
                )
            else:
                continue
            ecrits.deposer_justificatif(
                absence=absence, nom_fichier=nom, contenu=pdf_demo(titre, lignes), acteur=GESTIONNAIRE
            )
            ecrits.statuer_absence(absence=absence, force_majeure=force_majeure, motif=motif, acteur=GESTIONNAIRE)
            if force_majeure:
                bilan.abj += 1
            else:
                bilan.refusees += 1

    # -- copies ---------------------------------------------------------------------------------------

    def _lots(self, epreuve: EpreuveEcrite, bilan: BilanEpreuve, rang: int) -> None:
        """Anonymat et lots du centre ; E1 (rang 0) : correction bien avancée et harmonisation ouverte ; E3 :
        lots confiés, première saisie commencée ; E5A : lots constitués, sans correcteur."""
        presents = Place.objects.filter(
            epreuve=epreuve, salle__centre=self.centre, presence=Place.Presence.PRESENT
        ).count()
        if not presents:
            return
        taille = min(REGLES_ECRITS.taille_lot, max(5, -(-presents // 5)))
        rapport = ecrits.constituer_lots(
            epreuve=epreuve, acteur=GESTIONNAIRE, taille=taille, appliquer=True, centre_correction=self.centre
        )
        lots = sorted(rapport.lots_crees, key=lambda lot: lot.numero)
        if rang >= 2 or not lots:
            return
        correcteurs = self.correcteurs["E1" if rang == 0 else "E3"]
        confies: list[Lot] = []
        if rang == 0 and self.examinateur is not None:
            for lot in lots:
                try:
                    ecrits.affecter_lot(lot=lot, correcteur=self.examinateur, acteur=GESTIONNAIRE)
                except AffectationImpossible:
                    continue  # un candidat de son établissement dans ce lot : un autre lot
                self.resume.lot_examinateur = lot.code
                confies.append(lot)
                break
        reste = [lot for lot in lots if lot not in confies]
        # Les correcteurs de l'épreuve ; si l'un des lots a un candidat de l'établissement de chacun d'eux (petite
        # session), la division élargit à tous les examinateurs de l'académie, comme sur la page des lots.
        for equipe in (correcteurs, self.tous):
            if not reste or not equipe:
                break
            try:
                confies += [lot for lot, _ in ecrits.affecter_lots(lots=reste, correcteurs=equipe, acteur=GESTIONNAIRE)]
            except AffectationImpossible as exc:
                if equipe is self.tous:
                    self.resume.avertissements.append(f"{epreuve.epreuve} : {exc.message}")
                continue
            break
        confies.sort(key=lambda lot: lot.numero)
        for lot in confies:
            ecrits.remettre_lot(lot=lot, acteur=GESTIONNAIRE)
        a_corriger = [
            lot
            for lot in Lot.objects.filter(pk__in=[lot.pk for lot in confies]).select_related("correcteur")
            if self.examinateur is None or lot.correcteur_id != self.examinateur.pk
        ]
        a_corriger.sort(key=lambda lot: lot.numero)
        notes = self._notes_des_copies(epreuve)
        if rang == 1:
            if a_corriger:
                self._saisir(a_corriger[0], notes, rang=1)
            return
        # E1 : deux lots corrigés (l'un rendu, l'autre harmonisé), un lot en cours avec un écart, les autres remis.
        for k, lot in enumerate(a_corriger[:3]):
            self._saisir(lot, notes, rang=1)
            self._saisir(lot, notes, rang=2, moitie=k == 2, ecart=k == 2)
        if len(a_corriger) >= 2:
            ecrits.rendre_lot(lot=a_corriger[1], acteur=GESTIONNAIRE)
        if a_corriger:
            bilan.ajustement = self._harmoniser(epreuve, a_corriger[0], correcteurs)

    def _notes_des_copies(self, epreuve: EpreuveEcrite) -> dict[str, Decimal]:
        """La note que « mérite » chaque copie : celle du candidat dans la session générée."""
        return {
            numero: note
            for numero, cid in Copie.objects.filter(epreuve=epreuve, centre=self.centre).values_list(
                "numero", "correspondance__candidat_id"
            )
            if (note := self.resultats.get((cid, epreuve.epreuve), (None, None, None))[2]) is not None
        }

    def _saisir(
        self, lot: Lot, notes: dict[str, Decimal], *, rang: int, moitie: bool = False, ecart: bool = False
    ) -> None:
        numeros = sorted(Copie.objects.filter(lot=lot).values_list("numero", flat=True))
        if moitie:
            numeros = numeros[: max(1, len(numeros) // 2)]
        saisies = {n: notes[n] for n in numeros if n in notes}
        if ecart and saisies:
            premier = numeros[0]
            note = saisies[premier]
            saisies[premier] = note + 1 if note <= 19 else note - 1  # une faute de frappe : l'écart est signalé
        if saisies:
            assert lot.correcteur is not None
            ecrits.saisir_notes(lot=lot, rang=rang, notes=saisies, acteur=lot.correcteur.code)

    def _harmoniser(self, epreuve: EpreuveEcrite, lot: Lot, correcteurs: list[Examinateur]) -> str:
        """La commission compare le lot à l'ensemble des copies corrigées et le décale d'un demi-point."""
        validees = list(
            Copie.objects.filter(epreuve=epreuve, note_initiale__isnull=False).values_list("lot_id", "note_initiale")
        )
        du_lot = [n for lot_id, n in validees if lot_id == lot.pk]
        if not du_lot:
            return ""
        moyenne_lot = sum(du_lot) / len(du_lot)
        moyenne = sum(n for _, n in validees) / len(validees)
        president = f"{self.rng.choice(D.PRENOMS)} {self.rng.choice(D.NOMS)}, IA-IPR de lettres"
        ecrits.ouvrir_commission(
            epreuve=epreuve,
            acteur=GESTIONNAIRE,
            president=president,
            membres="\n".join(f"{x.prenom} {x.nom}, correcteur ({x.code})" for x in correcteurs),
        )
        points = "+0,5" if moyenne_lot <= moyenne else "-0,5"
        sens = "plus sévère" if moyenne_lot <= moyenne else "plus indulgente"
        deux = Decimal("0.01")
        ecrits.ajuster_lot(
            lot=lot,
            points=points,
            motif=(
                f"Notation {sens} que l'ensemble des copies corrigées (moyenne du lot {_fr(moyenne_lot.quantize(deux))}, "
                f"de l'ensemble {_fr(moyenne.quantize(deux))}) : décalage d'un demi-point décidé en commission."
            ),
            acteur=GESTIONNAIRE,
        )
        return f"lot {lot.code} décalé de {points} (motivé), commission ouverte"

    def _compter(self, epreuve: EpreuveEcrite, bilan: BilanEpreuve) -> None:
        presences = Counter(
            Place.objects.filter(epreuve=epreuve, salle__centre=self.centre).values_list("presence", flat=True)
        )
        bilan.presents = presences[Place.Presence.PRESENT]
        bilan.absents = presences[Place.Presence.ABSENT]
        bilan.a_saisir = presences[Place.Presence.A_SAISIR]
        bilan.incidents = epreuve.incidents.filter(salle__centre=self.centre).count()
        bilan.a_statuer = Absence.objects.filter(
            place__epreuve=epreuve, place__salle__centre=self.centre, decision=Absence.Decision.EN_ATTENTE
        ).count()
        copies = Copie.objects.filter(epreuve=epreuve, centre=self.centre)
        bilan.copies = copies.count()
        bilan.notes_validees = copies.filter(note_initiale__isnull=False).count()
        bilan.ecarts = copies.filter(ecart=True).count()
        lots = Lot.objects.filter(epreuve=epreuve, centre_correction=self.centre)
        bilan.lots = lots.count()
        bilan.lots_confies = lots.filter(correcteur__isnull=False).count()
        bilan.correcteurs = lots.filter(correcteur__isnull=False).values("correcteur").distinct().count()


# =========================================================================== sujets


@dataclass
class ResumeSujets:
    centre: str
    contexte: str = ""
    wordpress: int = 0
    prestashop: int = 0
    diffusion: int = 0
    academies: int = 0
    passages_e5b: int = 0
    centres_attribues: int = 0
    postes: int = 0
    postes_prets: int = 0
    signee: bool = False
    fiches_pretes: int = 0
    fiches_brouillon: int = 0
    engagements: int = 0
    duree_secondes: float = 0.0

    def lignes(self) -> list[str]:
        return [
            f"contexte numérique {self.contexte} publié ; banque E5B : {self.wordpress} sujets WordPress et "
            f"{self.prestashop} PrestaShop avec leurs grilles (PDF), diffusion n° {self.diffusion} à "
            f"{self.academies} académie(s)",
            f"attribution appliquée : {_nombre(self.passages_e5b)} passages E5B dotés d'un sujet dans "
            f"{self.centres_attribues} centre(s) (journal d'attribution)",
            f"centre du compte « chef-centre » : {self.postes} postes E5B déclarés, {self.postes_prets} prêts"
            + (", liste signée" if self.signee else ""),
            f"fiches-sujets E4 : {self.fiches_pretes} prête(s), {self.fiches_brouillon} en brouillon ; "
            f"fiches d'engagement étudiant déposées : {self.engagements}",
        ]


PARAMETRES_E4 = (
    "Le client est un acheteur professionnel pressé, qui compare trois offres concurrentes.",
    "Le budget du client est inférieur de 15 % au prix annoncé dans la fiche.",
    "Le délai de livraison demandé est de huit jours au lieu de trois semaines.",
    "Un interlocuteur supplémentaire (le responsable des achats) se joint à l'entretien.",
    "Le client a eu un litige lors d'une commande précédente et le rappelle d'emblée.",
    "L'évènement est avancé d'une semaine et le nombre d'invités doublé.",
    "Le client souhaite une solution de paiement en plusieurs fois.",
)
ROLES_E4 = (
    "Un membre de la commission joue le client ; l'autre observe et prend des notes.",
    "La commission joue un couple de clients aux attentes divergentes.",
    "Un membre joue le responsable des achats, l'autre le prescripteur technique.",
)
THEMES_E5B = (
    ("Les Jardins de la Limagne", "jardinerie"),
    ("Domaine des Volcans", "vins et produits du terroir"),
    ("Cycles Montferrand", "vélos à assistance électrique"),
    ("Laiterie du Cantal", "fromages AOP"),
    ("Optique Jaude", "lunetterie"),
    ("Ferme du Livradois", "paniers de légumes"),
    ("Sport Sancy", "location de matériel de ski"),
    ("Couteaux de Thiers", "coutellerie artisanale"),
    ("Biscuiterie d'Aurillac", "biscuits et confiseries"),
    ("Thermes de Vichy", "séjours de bien-être"),
    ("Librairie des Arvernes", "livres et papeterie"),
    ("Chocolats du Puy", "chocolaterie"),
    ("Brasserie des Dômes", "bières artisanales"),
    ("Lentilles vertes du Velay", "épicerie fine"),
    ("Ateliers de Riom", "mobilier sur mesure"),
    ("Gîtes de l'Aubrac", "hébergement touristique"),
    ("Pneus Service Auvergne", "entretien automobile"),
    ("Miellerie du Forez", "miels et pains d'épices"),
)


def construire_sujets_demo(*, session: ExamSession, graine: int = 2022) -> ResumeSujets:
    """Les sujets et pièces de la démonstration (voir le module). À appeler après la planification publiée et la
    création des comptes (le gestionnaire reçoit le courriel de diffusion) ; tout ou rien."""
    debut = chrono.perf_counter()
    centre = centre_demo(session)
    if centre is None:
        raise DemoImpossible("La session de démonstration n'a aucun centre dans l'académie pilote.")
    with transaction.atomic():
        resume = _Sujets(session, centre, random.Random(f"sujets-{graine}")).construire()
    resume.duree_secondes = chrono.perf_counter() - debut
    return resume


def sujets_par_support(session: ExamSession) -> int:
    """Combien de sujets de chaque support la banque doit compter pour qu'aucune commission ne donne deux fois
    le même sujet le même jour (règle 9) : la moitié du plus grand nombre de passages E5B d'une commission en
    un jour (heure du centre), arrondie au-dessus ; 4 au moins."""
    par_jour: Counter[tuple[int, dt.date]] = Counter(
        (commission, debut.astimezone(ZoneInfo(fuseau)).date())
        for commission, debut, fuseau in Passage.objects.filter(
            version__session=session, version__statut=VersionPlanning.Statut.PUBLIE, epreuve="E5B"
        ).values_list("commission_id", "debut", "version__centre__fuseau")
    )
    return max(4, -(-max(par_jour.values(), default=0) // 2))


class _Sujets:
    def __init__(self, session: ExamSession, centre: Centre, rng: random.Random) -> None:
        self.session = session
        self.centre = centre
        self.rng = rng
        self.resume = ResumeSujets(centre=f"{centre.nom} ({centre.code})")

    def construire(self) -> ResumeSujets:
        self._banque()
        self._postes()
        self._attribuer()
        self._fiches_sujets()
        self._engagements()
        return self.resume

    def _banque(self) -> None:
        contexte = sujets.publier_contexte_numerique(
            session=self.session,
            version="2022.1",
            wordpress="WordPress 5.9 — site vitrine « Les Jardins de la Limagne »",
            prestashop="PrestaShop 1.7.8 — boutique « Domaine des Volcans »",
            par=GESTIONNAIRE,
        )
        self.resume.contexte = contexte.version
        n = sujets_par_support(self.session)
        themes = list(THEMES_E5B)
        self.rng.shuffle(themes)
        for k in range(n):
            for rang_support, (support, prefixe, outil) in enumerate(
                ((Support.WORDPRESS, "WP", "site WordPress"), (Support.PRESTASHOP, "PS", "boutique PrestaShop"))
            ):
                entreprise, activite = themes[(2 * k + rang_support) % len(themes)]
                code = f"{prefixe}-{k + 1:02d}"
                titre = f"{entreprise} — {outil}"
                sujets.deposer_sujet(
                    session=self.session,
                    code=code,
                    support=support,
                    titre=titre,
                    contenu=pdf_demo(
                        f"BTS NDRC 2022 — E5B — sujet {code}",
                        [
                            f"Contexte : {entreprise} ({activite}) développe sa relation client sur son {outil} "
                            "(contexte numérique national 2022.1).",
                            "Mission 1 : analysez l'expérience client sur le site et proposez deux améliorations.",
                            "Mission 2 : mettez en œuvre l'une d'elles sur le poste (page, produit, module ou "
                            "formulaire), puis présentez-la à la commission.",
                            "Durée : 40 minutes, dont 20 minutes de présentation et 20 minutes d'entretien.",
                        ],
                    ),
                    grille=pdf_demo(
                        f"Grille d'aide à l'évaluation — sujet {code}",
                        [
                            "Compétence 1 : maîtriser la relation omnicanale (analyse de l'expérience client).",
                            "Compétence 2 : animer la relation client digitale (mise en œuvre sur le site).",
                            "Compétence 3 : développer la relation client en e-commerce (argumentation, indicateurs).",
                        ],
                    ),
                    par=GESTIONNAIRE,
                    maintenant=_paris(3, 14, 10) + dt.timedelta(days=k),
                )
        diffusion = sujets.diffuser_banque(session=self.session, par=GESTIONNAIRE, maintenant=_paris(4, 4, 9))
        self.resume.wordpress = self.resume.prestashop = n
        self.resume.diffusion = diffusion.numero
        self.resume.academies = diffusion.academies.count()

    def _postes(self) -> None:
        """Le chef de centre déclare les postes de ses salles informatiques, les vérifie (un poste en panne,
        réparé puis revérifié) et signe la liste de préparation."""
        postes: list[PosteE5B] = []
        for salle in Salle.objects.filter(centre=self.centre, type=Salle.Type.INFORMATIQUE).order_by("nom"):
            noms = [f"{salle.nom} — poste {i:02d}" for i in range(1, salle.capacite + 1)]
            postes += sujets.declarer_postes(session=self.session, centre=self.centre, noms=noms, par=CHEF, salle=salle)
        verification = _paris(5, 19, 14)
        for k, poste in enumerate(postes):
            if k == 2:
                sujets.verifier_poste(
                    poste=poste,
                    wordpress_ok=True,
                    prestashop_ok=False,
                    observations="La boutique PrestaShop ne s'ouvre pas : module de paiement en erreur.",
                    par=CHEF,
                    maintenant=verification,
                )
                sujets.verifier_poste(
                    poste=poste,
                    wordpress_ok=True,
                    prestashop_ok=True,
                    observations="Module de paiement réinstallé par le technicien du lycée ; boutique vérifiée.",
                    par=CHEF,
                    maintenant=verification + dt.timedelta(hours=2),
                )
            else:
                sujets.verifier_poste(
                    poste=poste, wordpress_ok=True, prestashop_ok=True, par=CHEF, maintenant=verification
                )
        if postes:
            signature = sujets.signer_preparation_postes(
                session=self.session, centre=self.centre, par=CHEF, maintenant=_paris(5, 20, 17)
            )
            self.resume.signee = True
            self.resume.postes_prets = signature.postes_prets
        self.resume.postes = len(postes)

    def _attribuer(self) -> None:
        rapport = sujets.attribuer_sujets(
            session=self.session, par=GESTIONNAIRE, appliquer=True, maintenant=_paris(5, 20, 9)
        )
        self.resume.passages_e5b = sum(len(c.lignes) for c in rapport.centres)
        self.resume.centres_attribues = sum(1 for c in rapport.centres if c.lignes)

    def _fiches_sujets(self) -> None:
        """Les commissions E4 des premiers passages du centre (à défaut, d'un autre centre, de l'académie pilote
        d'abord : une petite session peut n'y avoir aucune E4 ponctuelle) rédigent leurs fiches-sujets ; quatre
        sont prêtes avant l'épreuve, les suivantes restent en brouillon."""
        from examens.apps.planification.selectors import version_en_vigueur

        autres = Centre.objects.filter(candidats__session=self.session).exclude(pk=self.centre.pk).distinct()
        centres = [
            self.centre,
            *autres.filter(academie_id=self.centre.academie_id).order_by("code"),
            *autres.exclude(academie_id=self.centre.academie_id).order_by("code"),
        ]
        passages: list[Passage] = []
        for centre in centres:
            version = version_en_vigueur(session=self.session, centre=centre, brouillons=False)
            if version is None:
                continue
            passages = list(
                Passage.objects.filter(version=version, epreuve="E4")
                .select_related("candidat", "commission")
                .order_by("debut", "candidat__numero")[:12]
            )
            if passages:
                break
        activites: dict[int, list[FicheActivite]] = {}
        for a in (
            FicheActivite.objects.filter(dossier__candidat__in=[p.candidat for p in passages], dossier__epreuve="E4")
            .exclude(nature="")
            .select_related("dossier")
            .order_by("pk")
        ):
            activites.setdefault(a.dossier.candidat_id, []).append(a)
        redigees = 0
        for p in passages:
            choix = activites.get(p.candidat_id)
            if not choix or redigees == 6:
                continue
            membre = p.commission.membres.order_by("code").first()
            par = membre.code if membre is not None else GESTIONNAIRE
            fiche = sujets.rediger_fiche_sujet(
                candidat=p.candidat,
                activite=self.rng.choice(choix),
                parametres_modifies=self.rng.sample(PARAMETRES_E4, 2),
                role_commission=self.rng.choice(ROLES_E4),
                contexte="Simulation de négociation-vente ou d'animation, à partir de la fiche choisie du dossier.",
                par=par,
                maintenant=p.debut - dt.timedelta(days=6),
            )
            redigees += 1
            if redigees <= 4:
                sujets.valider_fiche_sujet(fiche=fiche, par=par, maintenant=p.debut - dt.timedelta(days=2))
        statuts = Counter(FicheSujet.objects.filter(candidat__session=self.session).values_list("statut", flat=True))
        self.resume.fiches_pretes = statuts[FicheSujet.Statut.PRETE]
        self.resume.fiches_brouillon = statuts[FicheSujet.Statut.BROUILLON]

    def _engagements(self) -> None:
        """Deux candidats du centre inscrits à l'engagement étudiant ont leur fiche : l'un l'a déposée lui-même,
        l'autre l'a envoyée par courrier et le gestionnaire l'a déposée."""
        candidats = list(
            Candidat.objects.filter(
                session=self.session, centre=self.centre, engagement_etudiant=True, desiste_le__isnull=True
            ).order_by("numero")[:2]
        )
        for k, c in enumerate(candidats):
            par_lui_meme = k == 0
            sujets.deposer_fiche_engagement(
                candidat=c,
                contenu=pdf_demo(
                    "Fiche d'engagement étudiant (fictive)",
                    [
                        f"Candidat n° {c.numero}.",
                        "Engagement : bénévole d'une association d'aide aux devoirs (2 heures par semaine), "
                        "trésorier du bureau des étudiants.",
                        "Compétences mobilisées : organisation, communication, gestion d'un budget.",
                    ],
                ),
                par=c.numero if par_lui_meme else GESTIONNAIRE,
                deposant=FicheEngagement.Deposant.CANDIDAT if par_lui_meme else FicheEngagement.Deposant.GESTIONNAIRE,
                maintenant=_paris(4, 8 + k, 18),
            )
        self.resume.engagements = len(candidats)
