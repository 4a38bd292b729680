"""Formulaire de l'espace examinateur : la fiche d'évaluation de l'engagement étudiant (annexe VIII-2)."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.web.forms import FormulaireDsfr
from examens.documents.commissions import CRITERES_ENGAGEMENT


class FormulaireEvaluationEngagement(FormulaireDsfr, forms.Form):
    """Une appréciation par critère de la circulaire, une appréciation générale, la note sur 20. Les critères sont
    ceux du document édité (`documents.commissions.CRITERES_ENGAGEMENT`) ; la note est vérifiée par le service."""

    appreciation = forms.CharField(
        label="Appréciation générale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label="Note sur 20",
        help_text="De 0 à 20, par demi-point : « 14,5 ». Elle devient le résultat de l'épreuve facultative.",
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteres = {
            f"critere_{i}": forms.CharField(
                label=critere,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Renseignez le critère « {critere} »."},
            )
            for i, critere in enumerate(CRITERES_ENGAGEMENT)
        }
        self.fields = {**criteres, **self.fields}
        self.fields["note"].error_messages["required"] = "Indiquez la note sur 20."
        self._habiller()

    @property
    def champs_criteres(self) -> list[forms.BoundField]:
        return [self[f"critere_{i}"] for i in range(len(CRITERES_ENGAGEMENT))]

    def fiche_evaluation(self) -> dict[str, str]:
        return {critere: self.cleaned_data[f"critere_{i}"] for i, critere in enumerate(CRITERES_ENGAGEMENT)}

    @staticmethod
    def initial_de(evaluation: Any) -> dict[str, Any]:
        if evaluation is None:
            return {}
        initial = {
            f"critere_{i}": evaluation.fiche_evaluation.get(critere, "")
            for i, critere in enumerate(CRITERES_ENGAGEMENT)
        }
        initial["appreciation"] = evaluation.appreciation
        initial["note"] = f"{evaluation.note.normalize():f}".replace(".", ",")
        return initial
