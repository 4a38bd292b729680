"""Formulaires du suivi des copies, de la commission d'harmonisation et des documents des écrits (DSFR, erreurs
reliées à leur champ). Ils ne font que lire la saisie : les règles (note au pas du règlement, bornes, motif,
verrouillage) sont celles des services, qui refusent avec un message français."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.web.forms import FormulaireDsfr


class FormulaireCommission(FormulaireDsfr, forms.Form):
    president = forms.CharField(
        label="Président(e) de la commission",
        max_length=200,
        help_text="Par exemple : Mme DURAND, IA-IPR d'économie-gestion",
        error_messages={"required": "Indiquez qui préside la commission d'harmonisation."},
    )
    membres = forms.CharField(
        label="Membres",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un membre par ligne (nom, qualité)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulaireAjustementLot(FormulaireDsfr, forms.Form):
    lot = forms.ChoiceField(label="Lot", error_messages={"invalid_choice": "Choisissez un lot de l'épreuve."})
    points = forms.CharField(
        label="Points à ajouter (ou à retirer)",
        max_length=8,
        help_text="Au pas du règlement : +1, -0,5 ; chaque note reste entre 0 et 20",
        error_messages={"required": "Indiquez le décalage, par exemple +1 ou -0,5."},
    )
    motif = forms.CharField(
        label="Motif de l'ajustement",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire : il est gardé avec l'ajustement et tracé (par exemple « correcteur sévère »)",
        error_messages={"required": "Motivez l'ajustement (par exemple « correcteur sévère »)."},
    )

    def __init__(self, *args: Any, lots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = lots
        self._habiller()


class FormulaireMotif(FormulaireDsfr, forms.Form):
    """Le motif d'un ajustement note à note ou d'une réouverture."""

    motif = forms.CharField(
        label="Motif",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire : il est gardé et tracé",
        error_messages={"required": "Indiquez le motif."},
    )

    def __init__(self, *args: Any, libelle: str = "Motif", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motif"].label = libelle
        self._habiller()


class FormulairePlans(FormulaireDsfr, forms.Form):
    epreuve = forms.ChoiceField(
        label="Épreuve",
        required=False,
        error_messages={"invalid_choice": "Choisissez une épreuve écrite répartie dans ce centre."},
    )

    def __init__(self, *args: Any, epreuves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuve"].choices = [("", "Toutes les épreuves"), *epreuves]
        self._habiller()
