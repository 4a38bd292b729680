"""Formulaires des écrans de délibération (DSFR, erreurs reliées à leur champ : `forms.FormulaireDsfr`).

Ils ne font que lire la saisie : les règles (note au pas de 0,5, jamais en dessous de l'examinateur, épreuves
de contrôle permises, verrouillage) sont celles des services, qui refusent avec un message français."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.jury.models import Decision, MentionPix
from examens.apps.web.forms import FormulaireDsfr
from examens.apps.web.selectors_deliberation import LIVRET_A_EXAMINER, SANS_DECISION


class FormulaireFiltreJury(FormulaireDsfr, forms.Form):
    texte = forms.CharField(
        label="Numéro d'anonymat", required=False, max_length=20, help_text="Par exemple : AN-7K3Q ou 7K3Q"
    )
    decision = forms.ChoiceField(
        label="Décision en vigueur",
        required=False,
        choices=[
            ("", "Toutes"),
            *Decision.choices,
            (SANS_DECISION, "sans décision"),
            (LIVRET_A_EXAMINER, "livret scolaire à examiner"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulairePointsJury(FormulaireDsfr, forms.Form):
    epreuve = forms.ChoiceField(label="Épreuve")
    note = forms.CharField(
        label="Note après jury", max_length=6, help_text="De 0 à 20, au demi-point : par exemple 12,5"
    )
    motif = forms.CharField(
        label="Motif des points de jury",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire : il est gardé avec la note et tracé (§4.6 du règlement).",
        error_messages={"required": "Indiquez le motif des points de jury."},
    )

    def __init__(self, *args: Any, epreuves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuve"].choices = epreuves
        self._habiller()


class FormulaireLivret(FormulaireDsfr, forms.Form):
    mention_pix = forms.ChoiceField(label="Mention PIX portée au livret", choices=MentionPix.choices)
    observations = forms.CharField(
        label="Observations du jury", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulaireChoixControle(forms.Form):
    """Cases à cocher rendues à la main dans le gabarit (groupe de cases du DSFR)."""

    epreuves = forms.MultipleChoiceField(label="Épreuves de contrôle choisies", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, possibles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuves"].choices = possibles


class FormulaireNoteControle(FormulaireDsfr, forms.Form):
    epreuve = forms.ChoiceField(label="Épreuve de contrôle")
    valeur = forms.CharField(label="Note de contrôle", max_length=6, help_text="Une note (12,5), AB ou ABJ")

    def __init__(self, *args: Any, epreuves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuve"].choices = epreuves
        self._habiller()


class FormulaireReouverture(FormulaireDsfr, forms.Form):
    motif = forms.CharField(
        label="Motif de la réouverture",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire et tracé : par exemple « erreur de report de la note d'E4 d'un candidat ».",
        error_messages={"required": "Indiquez le motif de la réouverture."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()
