"""Formulaires du planning d'un centre : déplacer un passage (commission et début, en heure locale du centre),
désister un examinateur et replanifier. Les choix viennent de l'instance de la version et du périmètre."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from examens.apps.examinateurs.models import Examinateur
from examens.apps.web.forms import FormulaireDsfr


class FormulaireDeplacement(FormulaireDsfr, forms.Form):
    commission = forms.ChoiceField(label="Commission")
    date = forms.TypedChoiceField(label="Jour", coerce=dt.date.fromisoformat)
    heure = forms.TimeField(
        label="Début de l'épreuve",
        help_text="Heure locale du centre, par pas de 5 minutes (la préparation en loge se décale d'autant).",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    motif = forms.CharField(label="Motif du déplacement", max_length=300)

    def __init__(self, *args: Any, commissions: list[tuple[str, str]], jours: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].choices = commissions
        self.fields["date"].choices = [(j.isoformat(), f"{j:%d/%m/%Y}") for j in jours]
        self._habiller()


class ChoixExaminateur(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.prenom} {obj.nom} ({obj.code})"


class FormulaireReplanification(FormulaireDsfr, forms.Form):
    examinateur = ChoixExaminateur(
        label="Examinateur qui se désiste",
        queryset=Examinateur.objects.none(),
        required=False,
        empty_label="Aucun : replanifier seulement",
        help_text="Il sort de ses commissions, remplacé par un examinateur libre de même profil s'il y en a un.",
    )
    motif = forms.CharField(label="Motif", max_length=300)

    def __init__(self, *args: Any, examinateurs: QuerySet[Examinateur], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["examinateur"].queryset = examinateurs  # type: ignore[attr-defined]
        self._habiller()
