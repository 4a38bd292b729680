"""Documents de résultats : procès-verbal de délibération, relevé de notes, attestation de blocs, liste des résultats.

Les décisions et motifs sont ceux du moteur (`examens.core.deliberation`) ; les moyennes sont celles que le
jury a arrêtées, déjà arrondies pour l'affichage (§4.2 : exactes pour la décision, arrondies demi vers le
haut pour l'affichage). Les notes sont des `Decimal`, jamais des flottants.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

from examens.core.deliberation import Decision, Motif
from examens.core.resultats import Etat, Origine
from examens.documents.commun import Edition, IdentiteCandidat, libelle_epreuve
from examens.documents.donnees import Donnees
from examens.documents.mise_en_page import GRAS, ITALIQUE, LARGEUR_UTILE, Colonne, Composition
from examens.documents.textes import (
    academie_de,
    date_heure_locale,
    date_sans_jour,
    local,
    nom_fuseau,
    nombre,
    pourcentage,
)


def libelle_decision(decision: Decision, apres_controle: bool = False) -> str:
    """« admis », « ajourné après contrôle », « admissible aux épreuves de contrôle »…"""
    texte = decision.label
    if apres_controle and decision in (Decision.ADMIS, Decision.AJOURNE):
        texte += " après contrôle"
    return texte


# --- Procès-verbal de délibération ---------------------------------------------------------------------------


class Variante(StrEnum):
    ANONYME = "anonyme"  # numéros seuls : le jury délibère anonymement (Circ. 1.3)
    NOMINATIF = "nominatif"


@dataclass(frozen=True, slots=True, kw_only=True)
class LignePV(Donnees):
    numero: str  # numéro d'anonymat dans la variante anonyme
    decision: Decision
    nom: str = ""
    prenoms: str = ""
    present: bool = True  # présent à au moins une épreuve
    points: Decimal | None = None
    diviseur: int | None = None
    moyenne: Decimal | None = None  # arrondie pour l'affichage ; None : aucune moyenne publiée (§4.1)
    motif: Motif | None = None
    apres_controle: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MembreJury(Donnees):
    nom: str
    qualite: str  # « enseignant », « professionnel (employeur ou salarié) », « inspecteur »…
    president: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PVDeliberation(Donnees):
    edition: Edition
    jury: str
    delibere_le: datetime  # instant UTC ; affiché dans le fuseau de l'édition
    lieu: str
    variante: Variante
    lignes: tuple[LignePV, ...]
    membres: tuple[MembreJury, ...]
    observations: str = ""


@dataclass(frozen=True, slots=True)
class Decompte:
    """Les effectifs d'un procès-verbal, comptés sur les décisions elles-mêmes."""

    inscrits: int
    presents: int
    admis: int
    admis_apres_controle: int
    ajournes: int
    controle: int
    en_attente: int
    incomplets: int

    @property
    def taux(self) -> str:
        return pourcentage(self.admis, self.presents)


def decompter(lignes: tuple[LignePV, ...]) -> Decompte:
    def nombre_de(decision: Decision) -> int:
        return sum(1 for ligne in lignes if ligne.decision is decision)

    return Decompte(
        inscrits=len(lignes),
        presents=sum(1 for ligne in lignes if ligne.present),
        admis=nombre_de(Decision.ADMIS),
        admis_apres_controle=sum(1 for ligne in lignes if ligne.decision is Decision.ADMIS and ligne.apres_controle),
        ajournes=nombre_de(Decision.AJOURNE),
        controle=nombre_de(Decision.CONTROLE),
        en_attente=nombre_de(Decision.EN_ATTENTE),
        incomplets=nombre_de(Decision.INCOMPLET),
    )


def _points(ligne: LignePV) -> str:
    if ligne.points is None or ligne.diviseur is None:
        return "—"
    return f"{nombre(ligne.points)} / {ligne.diviseur}"


def rendre_pv_deliberation(donnees: PVDeliberation) -> bytes:
    nominatif = donnees.variante is Variante.NOMINATIF
    edition = donnees.edition
    quand = date_heure_locale(donnees.delibere_le, edition.fuseau)
    doc = Composition(
        edition,
        modele="pv-deliberation",
        titre="Procès-verbal de délibération",
        sous_titre=f"{donnees.jury} — version {'nominative' if nominatif else 'anonyme'}",
        bandeau=[("Jury", donnees.jury), ("Délibération", f"{quand}, {donnees.lieu}")],
    )
    d = decompter(donnees.lignes)
    doc.encadres(
        [
            (
                "Effectifs",
                [
                    ("Inscrits", str(d.inscrits)),
                    ("Présents", str(d.presents)),
                    ("Admis", f"{d.admis} (dont {d.admis_apres_controle} après contrôle)"),
                    ("Taux de réussite", f"{d.taux} des présents"),
                ],
            ),
            (
                "Autres décisions",
                [
                    ("Ajournés", str(d.ajournes)),
                    ("Au contrôle", str(d.controle)),
                    ("En attente", str(d.en_attente)),
                    ("Incomplets", str(d.incomplets)),
                ],
            ),
        ],
        largeur_etiquette=88,
    )
    if nominatif:
        colonnes = [
            Colonne("N° candidat", 66),
            Colonne("Nom", 92, police=GRAS),
            Colonne("Prénoms", 82),
            Colonne("Points / diviseur", 70, "d"),
            Colonne("Moyenne", 44, "d"),
            Colonne("Décision", 72),
            Colonne("Motif", LARGEUR_UTILE - 426),
        ]
    else:
        colonnes = [
            Colonne("N° d'anonymat", 86, police=GRAS),
            Colonne("Points / diviseur", 80, "d"),
            Colonne("Moyenne", 52, "d"),
            Colonne("Décision", 120),
            Colonne("Motif", LARGEUR_UTILE - 338),
        ]
    lignes = []
    for ligne in donnees.lignes:
        valeurs = [ligne.numero]
        if nominatif:
            valeurs += [ligne.nom.upper(), ligne.prenoms]
        valeurs += [
            _points(ligne),
            nombre(ligne.moyenne) if ligne.moyenne is not None else "—",
            libelle_decision(ligne.decision, ligne.apres_controle) + ("" if ligne.present else " (absent)"),
            ligne.motif.label if ligne.motif is not None else "",
        ]
        lignes.append(valeurs)
    doc.section("Décisions du jury")
    doc.tableau(colonnes, lignes, taille=7.8, zebre=True, vide="Aucun candidat.")
    if donnees.observations:
        doc.section("Observations", garder=14)
        doc.paragraphe(donnees.observations, taille=8.5)
    doc.section("Membres du jury", garder=80)
    membres = sorted(donnees.membres, key=lambda m: not m.president)
    doc.tableau(
        [Colonne("Nom", 170, police=GRAS), Colonne("Qualité", 150), Colonne("Signature", LARGEUR_UTILE - 320)],
        [[m.nom, ("président(e) du jury — " if m.president else "") + m.qualite, ""] for m in membres],
        taille=8.5,
        grille=True,
        hauteur_min=28,
    )
    president = next((m.nom for m in membres if m.president), "")
    doc.espace(8)
    doc.paragraphe(
        f"Arrêté le {quand}, à {donnees.lieu}. Le président du jury : {president or '........'}.",
        taille=9,
    )
    return doc.rendre()


# --- Relevé de notes --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultatEpreuve(Donnees):
    """Le résultat d'une épreuve : une note ou un code (AB, ABJ, NV, DI), éventuellement conservée (§3, §5)."""

    epreuve: str
    intitule: str
    coefficient: int  # 0 pour une épreuve facultative
    facultative: bool = False
    note: Decimal | None = None
    etat: Etat | None = None
    origine: Origine = Origine.SESSION
    annee: int | None = None  # session d'obtention d'une note conservée
    note_controle: Decimal | None = None
    points: Decimal | None = None  # points comptés (facultative : points au-dessus de 10)


def afficher_resultat(r: ResultatEpreuve) -> str:
    """« 12,50 », « AB », « ABJ (0) », « NV », « dispensé », « 14,00 (bénéfice 2020) », « non présentée »."""
    if r.etat is not None:
        return {
            Etat.ABSENT: "AB (absent)",
            Etat.ABSENT_JUSTIFIE: "ABJ (compte 0)",
            Etat.NON_VALIDE: "NV (non valide)",
            Etat.DISPENSE: "dispensé",
        }[r.etat]
    if r.note is None:
        return "non choisie" if r.facultative else "non présentée"
    texte = nombre(r.note)
    if r.origine is not Origine.SESSION:
        texte += f" ({r.origine.label}{f' {r.annee}' if r.annee else ''})"
    return texte


@dataclass(frozen=True, slots=True, kw_only=True)
class UniteObtenue(Donnees):
    code: str
    intitule: str
    bloc: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleveNotes(Donnees):
    edition: Edition
    candidat: IdentiteCandidat
    resultats: tuple[ResultatEpreuve, ...]
    decision: Decision
    points: Decimal | None = None
    diviseur: int | None = None
    moyenne: Decimal | None = None
    motif: Motif | None = None
    apres_controle: bool = False
    unites_obtenues: tuple[UniteObtenue, ...] = ()
    etablissement: str | None = None
    jury: str = ""
    delibere_le: date | None = None


def rendre_releve_notes(donnees: ReleveNotes) -> bytes:
    c = donnees.candidat
    doc = Composition(
        donnees.edition,
        modele="releve-notes",
        titre="Relevé de notes",
        sous_titre=f"Session {donnees.edition.session}" + (f" — {donnees.jury}" if donnees.jury else ""),
    )
    infos = [("Nom", c.nom.upper()), ("Prénoms", c.prenoms), ("N° candidat", c.numero), ("Né(e) le", c.naissance)]
    resultat = [("Décision", libelle_decision(donnees.decision, donnees.apres_controle).upper())]
    if donnees.moyenne is not None:
        resultat.append(("Moyenne", f"{nombre(donnees.moyenne)} / 20"))
    if donnees.motif is not None:
        resultat.append(("Motif", donnees.motif.label))
    if donnees.delibere_le is not None:
        resultat.append(("Délibéré le", date_sans_jour(donnees.delibere_le)))
    if donnees.etablissement:
        infos.append(("Établissement", donnees.etablissement))
    doc.encadres([("Candidat", infos), ("Résultat", resultat)], largeur_etiquette=66)
    controle = any(r.note_controle is not None for r in donnees.resultats)
    colonnes = [Colonne("Épreuve", 232 if controle else 292), Colonne("Coef.", 36, "c"), Colonne("Note / 20", 104, "c")]
    if controle:
        colonnes.append(Colonne("Contrôle", 60, "c"))
    colonnes.append(Colonne("Points", LARGEUR_UTILE - sum(col.largeur for col in colonnes), "d"))
    lignes = []
    for r in donnees.resultats:
        ligne = [
            libelle_epreuve(r.epreuve, r.intitule)
            + (" (facultative)" if r.facultative and "facultative" not in r.intitule else ""),
            "—" if r.facultative else str(r.coefficient),
            afficher_resultat(r),
        ]
        if controle:
            ligne.append(nombre(r.note_controle) if r.note_controle is not None else "")
        ligne.append(nombre(r.points) if r.points is not None else "—")
        lignes.append(ligne)
    doc.section("Notes par épreuve")
    doc.tableau(colonnes, lignes, taille=8.3, zebre=True)
    doc.espace(4)
    if donnees.points is not None and donnees.diviseur is not None:
        doc.paragraphe(
            f"{nombre(donnees.points)} points pour un diviseur de {donnees.diviseur}"
            + (f" — moyenne générale {nombre(donnees.moyenne)} / 20" if donnees.moyenne is not None else ""),
            etiquette="Total :",
            taille=9,
        )
    else:
        doc.paragraphe("aucune moyenne n'est publiée pour cette décision.", etiquette="Total :", taille=9)
    doc.paragraphe(
        "Épreuves facultatives : seuls les points au-dessus de 10 comptent. ABJ : absence justifiée, comptée 0. "
        "AB : absence non justifiée, NV : dossier non conforme — le diplôme ne peut pas être délivré.",
        police=ITALIQUE,
        taille=7.5,
    )
    doc.section("Unités obtenues", garder=14)
    if donnees.unites_obtenues:
        doc.puces([_unite(u) for u in donnees.unites_obtenues], taille=8.5)
    else:
        doc.paragraphe("Aucune unité obtenue à cette session.", taille=8.5, police=ITALIQUE)
    doc.espace(4)
    doc.paragraphe(
        "Les notes égales ou supérieures à 10 peuvent être conservées, à la demande du candidat, pendant cinq ans "
        "(code de l'éducation, art. D643-15).",
        taille=7.8,
        police=ITALIQUE,
    )
    return doc.rendre()


def _unite(u: UniteObtenue) -> str:
    return f"{u.code} — {u.intitule}" + (f" (bloc de compétences {u.bloc})" if u.bloc is not None else "")


# --- Attestation de blocs de compétences --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BlocObtenu(Donnees):
    unite: str
    intitule: str
    note: Decimal
    session: int  # session d'obtention
    bloc: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttestationBlocs(Donnees):
    edition: Edition
    candidat: IdentiteCandidat
    blocs: tuple[BlocObtenu, ...]
    decision: Decision  # ajourné ou parcours incomplet (§4.7)
    lieu: str
    signataire: str = "Pour le recteur et par délégation, la cheffe de la division des examens et concours"


def rendre_attestation_blocs(donnees: AttestationBlocs) -> bytes:
    c = donnees.candidat
    edition = donnees.edition
    doc = Composition(
        edition,
        modele="attestation-blocs",
        titre="Attestation de blocs de compétences",
        sous_titre="Unités obtenues par un candidat non admis au diplôme (code de l'éducation, art. D643-22)",
    )
    doc.espace(10)
    doc.paragraphe(
        f"Le recteur de l'{academie_de(edition.academie, majuscule=False)} atteste que "
        f"{c.nom.upper()} {c.prenoms}, né(e) le {c.naissance}, candidat(e) n° {c.numero} au {edition.specialite}, "
        f"session {edition.session} ({libelle_decision(donnees.decision)} au diplôme), a obtenu les unités "
        "suivantes :",
        taille=10,
        interligne=1.35,
    )
    doc.espace(6)
    doc.tableau(
        [
            Colonne("Unité", 46, police=GRAS),
            Colonne("Intitulé", 270),
            Colonne("Bloc de compétences", 80, "c"),
            Colonne("Note / 20", 58, "c"),
            Colonne("Session", LARGEUR_UTILE - 454, "c"),
        ],
        [
            [b.unite, b.intitule, str(b.bloc) if b.bloc is not None else "—", nombre(b.note), str(b.session)]
            for b in donnees.blocs
        ],
        taille=9,
        vide="Aucune unité obtenue.",
    )
    doc.espace(8)
    doc.paragraphe(
        "Ces unités peuvent être conservées, à la demande du candidat, pendant cinq ans à compter de leur "
        "obtention (code de l'éducation, art. D643-15). Cette attestation ne vaut pas diplôme.",
        taille=9,
    )
    doc.espace(18)
    emis = edition.emis_le.astimezone(UTC)
    doc.paragraphe(f"Fait à {donnees.lieu}, le {date_sans_jour(local(emis, edition.fuseau).date())}.", taille=10)
    doc.espace(6)
    doc.paragraphe(donnees.signataire, taille=9.5, police=ITALIQUE)
    return doc.rendre()


# --- Liste des résultats (PDF et XLSX) ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LigneResultat(Donnees):
    numero: str
    nom: str
    prenoms: str
    decision: Decision
    apres_controle: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupeResultats(Donnees):
    intitule: str  # « Lycée des Lagons (Mamoudzou) », « Académie de Mayotte »
    lignes: tuple[LigneResultat, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ListeResultats(Donnees):
    edition: Edition
    regroupement: str  # « centre » ou « académie » : ce que sont les groupes
    groupes: tuple[GroupeResultats, ...]
    publie_le: datetime | None = None


def rendre_liste_resultats(donnees: ListeResultats) -> bytes:
    edition = donnees.edition
    total = sum(len(g.lignes) for g in donnees.groupes)
    admis = sum(1 for g in donnees.groupes for ligne in g.lignes if ligne.decision is Decision.ADMIS)
    sous_titre = f"{total} candidat(s), {admis} admis — par {donnees.regroupement}"
    bandeau = []
    if donnees.publie_le is not None:
        publication = date_heure_locale(donnees.publie_le, edition.fuseau)
        bandeau.append(("Publication", f"{publication} ({nom_fuseau(edition.fuseau, donnees.publie_le)})"))
    doc = Composition(
        edition, modele="liste-resultats", titre="Liste des résultats", sous_titre=sous_titre, bandeau=bandeau
    )
    colonnes = [
        Colonne("N° candidat", 80),
        Colonne("Nom", 150, police=GRAS),
        Colonne("Prénoms", 140),
        Colonne("Décision", LARGEUR_UTILE - 370),
    ]
    for groupe in donnees.groupes:
        admis_groupe = sum(1 for ligne in groupe.lignes if ligne.decision is Decision.ADMIS)
        doc.section(f"{groupe.intitule} — {len(groupe.lignes)} candidat(s), {admis_groupe} admis", garder=40)
        doc.tableau(
            colonnes,
            [
                [ligne.numero, ligne.nom.upper(), ligne.prenoms, libelle_decision(ligne.decision, ligne.apres_controle)]
                for ligne in groupe.lignes
            ],
            taille=8.5,
            zebre=True,
            vide="Aucun candidat.",
        )
    if not donnees.groupes:
        doc.paragraphe("Aucun résultat.", police=ITALIQUE)
    return doc.rendre()


_DATE_ZIP = (1980, 1, 1, 0, 0, 0)
_MODIFIE = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


def rendre_liste_resultats_xlsx(donnees: ListeResultats) -> bytes:
    """Classeur d'une feuille : groupe, numéro, nom, prénoms, décision. Mêmes données → mêmes octets."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def texte_de_cellule(texte: str) -> str:
        """Les caractères de contrôle sont interdits dans un classeur : on les retire."""
        return ILLEGAL_CHARACTERS_RE.sub("", texte)

    edition = donnees.edition
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.title = "Résultats"
    entete = [texte_de_cellule(donnees.regroupement.capitalize()), "Numéro", "Nom", "Prénoms", "Décision"]
    feuille.append(entete)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    for groupe in donnees.groupes:
        for ligne in groupe.lignes:
            feuille.append(
                [
                    texte_de_cellule(groupe.intitule),
                    texte_de_cellule(ligne.numero),
                    texte_de_cellule(ligne.nom.upper()),
                    texte_de_cellule(ligne.prenoms),
                    libelle_decision(ligne.decision, ligne.apres_controle),
                ]
            )
    for lettre, largeur_colonne in zip("ABCDE", (36, 16, 28, 28, 34), strict=True):
        feuille.column_dimensions[lettre].width = largeur_colonne
    feuille.freeze_panes = "A2"
    feuille.auto_filter.ref = f"A1:E{feuille.max_row}"
    emis = edition.emis_le.astimezone(UTC).replace(tzinfo=None)
    classeur.properties.creator = "examens"
    classeur.properties.title = f"Liste des résultats — {edition.specialite} — session {edition.session}"
    classeur.properties.identifier = edition.reference
    classeur.properties.created = emis
    tampon = io.BytesIO()
    classeur.save(tampon)
    return _zip_deterministe(tampon.getvalue(), emis)


def _zip_deterministe(contenu: bytes, emis: datetime) -> bytes:
    """openpyxl date les entrées du zip et `dcterms:modified` à l'heure courante : on les fixe."""
    modifie = f'<dcterms:modified xsi:type="dcterms:W3CDTF">{emis.strftime("%Y-%m-%dT%H:%M:%SZ")}</dcterms:modified>'
    sortie = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(contenu)) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            donnees = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                donnees = _MODIFIE.sub(modifie.encode(), donnees)
            entree = zipfile.ZipInfo(info.filename, date_time=_DATE_ZIP)
            entree.compress_type = zipfile.ZIP_DEFLATED
            entree.external_attr = 0o600 << 16
            cible.writestr(entree, donnees)
    return sortie.getvalue()
