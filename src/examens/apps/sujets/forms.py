"""Formulaires des pages des sujets, aux classes du DSFR (rendus par le gabarit `web/_champ.html`)."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.dossiers.models import FicheActivite
from examens.apps.sujets.models import Support


class _Dsfr:
    def _habiller(self) -> None:
        for nom, champ in self.fields.items():  # type: ignore[attr-defined]
            widget = champ.widget
            if isinstance(widget, forms.ClearableFileInput):
                classe = "fr-upload"
            elif isinstance(widget, forms.Select):
                classe = "fr-select"
            else:
                classe = "fr-input"
            widget.attrs["class"] = classe
            if champ.help_text:
                widget.attrs["aria-describedby"] = f"id_{nom}-aide"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for nom in self.errors:  # type: ignore[attr-defined]
            if nom in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[nom].widget.attrs  # type: ignore[attr-defined]
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} id_{nom}-erreurs".strip()


class FormulaireSujet(_Dsfr, forms.Form):
    code = forms.CharField(label="Code du sujet", max_length=40, help_text="WP-… pour WordPress, PS-… pour PrestaShop")
    support = forms.ChoiceField(label="Support", choices=Support.choices)
    titre = forms.CharField(label="Titre", max_length=200, required=False)
    sujet = forms.FileField(label="Sujet", help_text="PDF, 10 Mo au plus")
    grille = forms.FileField(label="Grille d'aide à l'évaluation", required=False, help_text="PDF, 10 Mo au plus")
    motif = forms.CharField(label="Motif", max_length=200, required=False, help_text="pour changer un sujet diffusé")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulaireFicheSujet(_Dsfr, forms.Form):
    activite = forms.ModelChoiceField(label="Activité choisie", queryset=FicheActivite.objects.none(), empty_label=None)
    contexte = forms.CharField(label="Situation de départ", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parametres = forms.CharField(
        label="Paramètres modifiés",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="un changement par ligne",
    )
    role_commission = forms.CharField(
        label="Rôle tenu par la commission", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, activites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activite"].queryset = activites  # type: ignore[attr-defined]
        self._habiller()

    @property
    def liste_parametres(self) -> list[str]:
        return [ligne.strip() for ligne in self.cleaned_data.get("parametres", "").splitlines() if ligne.strip()]
