"""Formulaires des espaces établissement et candidat, et de l'instruction des réclamations (classes du DSFR,
erreurs reliées à leur champ : `web.forms.FormulaireDsfr`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from examens.apps.dossiers.models import Piece
from examens.apps.jury.models import MentionPix
from examens.apps.reclamations.models import Reclamation
from examens.apps.sujets.fichiers import taille_max
from examens.apps.web.forms import FormulaireDsfr


def _mo(octets: int) -> str:
    return f"{octets // (1024 * 1024)} Mo"


class _Dsfr(FormulaireDsfr):
    """Le mélange DSFR de l'application web, plus : champ de fichier (`fr-upload`, PDF seulement) et
    identifiants d'aide et d'erreur tirés de l'identifiant réel du champ (formulaires préfixés)."""

    def _decrire(self, nom: str, *, erreur: bool) -> None:
        champ = self.fields[nom]  # type: ignore[attr-defined]
        identifiant = self[nom].auto_id  # type: ignore[index]
        references = [f"{identifiant}-aide"] if champ.help_text else []
        if erreur:
            references.append(f"{identifiant}-erreurs")
            champ.widget.attrs["aria-invalid"] = "true"
        if references:
            champ.widget.attrs["aria-describedby"] = " ".join(references)

    def _habiller(self) -> None:
        super()._habiller()
        for nom, champ in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(champ.widget, forms.FileInput):
                champ.widget.attrs["class"] = "fr-upload"
                champ.widget.attrs["accept"] = "application/pdf,.pdf"
            self._decrire(nom, erreur=False)

    def full_clean(self) -> None:
        super().full_clean()
        for nom in self.errors:  # type: ignore[attr-defined]
            if nom in self.fields:  # type: ignore[attr-defined]
                self._decrire(nom, erreur=True)


def _champ_pdf(libelle: str) -> forms.FileField:
    return forms.FileField(
        label=libelle,
        help_text=f"Un PDF de {_mo(taille_max())} au plus, lisible (ni image, ni document de traitement de texte).",
        widget=forms.FileInput,
        allow_empty_file=True,  # le contrôle du dépôt refuse un fichier vide en le nommant
    )


NATURES_DEPOSABLES = [
    (Piece.Nature.DOSSIER_E4.value, "Dossier E4 (relation client et négociation-vente)"),
    (Piece.Nature.DOSSIER_E6.value, "Dossier E6 (relation client et animation de réseaux)"),
    (Piece.Nature.ATTESTATION_STAGE.value, "Attestation de stage ou certificat de travail"),
]


class FormulairePiece(_Dsfr, forms.Form):
    nature = forms.ChoiceField(label="Pièce", choices=NATURES_DEPOSABLES)
    fichier = _champ_pdf("Fichier")
    periode = forms.ModelChoiceField(
        label="Période de stage attestée",
        queryset=None,
        required=False,
        empty_label="— une nouvelle période (à décrire ci-dessous) —",
        help_text="pour une attestation de stage ou un certificat de travail seulement",
    )
    entreprise = forms.CharField(label="Entreprise (nouvelle période)", max_length=200, required=False)
    debut = forms.DateField(
        label="Du (nouvelle période)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    fin = forms.DateField(
        label="Au, inclus (nouvelle période)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, periodes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].queryset = periodes  # type: ignore[attr-defined]
        self._habiller()

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if donnees.get("nature") == Piece.Nature.ATTESTATION_STAGE and not donnees.get("periode"):
            manquants = [
                (nom, texte)
                for nom, texte in (
                    ("entreprise", "Indiquez l'entreprise."),
                    ("debut", "Indiquez le premier jour de la période."),
                    ("fin", "Indiquez le dernier jour de la période."),
                )
                if not donnees.get(nom)
            ]
            for nom, texte in manquants:
                self.add_error(nom, texte)
        return donnees


class FormulaireLivret(_Dsfr, forms.Form):
    livret = _champ_pdf("Livret scolaire")
    mention_pix = forms.ChoiceField(
        label="Mention PIX portée au livret",
        choices=[("", "— choisissez —"), *MentionPix.choices],
        help_text="obligatoire depuis la session 2022 pour les candidats scolaires (circulaire, 1.3)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulaireCCF(_Dsfr, forms.Form):
    """Les notes des situations de CCF d'une épreuve ; le contrôle (bornes, demi-point) est celui du service."""

    def __init__(self, *args: Any, epreuve: str, situations: int, initiales: list[str], **kwargs: Any) -> None:
        super().__init__(*args, prefix=epreuve.lower(), **kwargs)
        for k in range(1, situations + 1):
            self.fields[f"situation_{k}"] = forms.CharField(
                label=f"{epreuve} — situation {k}" if situations > 1 else f"{epreuve} — situation unique",
                max_length=6,
                initial=initiales[k - 1] if k <= len(initiales) else "",
                help_text="de 0 à 20, par demi-point (par ex. 12,5)",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.epreuve = epreuve
        self._habiller()

    def notes(self) -> list[str]:
        return [self.cleaned_data[nom] for nom in self.fields]


class FormulaireReclamation(_Dsfr, forms.Form):
    epreuve = forms.ChoiceField(label="Objet de la réclamation")
    motif = forms.CharField(
        label="Motif",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="ce que vous contestez et pourquoi ; 5 000 caractères au plus",
    )

    def __init__(self, *args: Any, epreuves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuve"].choices = [("", "La décision du jury"), *epreuves]  # type: ignore[attr-defined]
        self.fields["epreuve"].required = False
        self._habiller()


STATUTS_D_INSTRUCTION = [(s.value, s.label) for s in Reclamation.Statut if s != Reclamation.Statut.DEPOSEE]


class FormulaireInstruction(_Dsfr, forms.Form):
    statut = forms.ChoiceField(label="Statut", choices=STATUTS_D_INSTRUCTION)
    reponse = forms.CharField(
        label="Réponse au candidat",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="obligatoire pour clore la réclamation ; envoyée au candidat par courriel et visible dans son espace",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()
