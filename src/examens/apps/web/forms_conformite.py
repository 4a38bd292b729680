"""Formulaires du contrôle de conformité : filtres de la file, décision de la commission, levée de doute.
Les choix d'académie et de centre sont ceux du périmètre : un identifiant hors périmètre est un choix invalide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from examens.apps.organisation.models import Academie, Centre
from examens.apps.web.forms import ChoixCentre, FormulaireDsfr
from examens.apps.web.selectors import LIBELLES_CAUSES
from examens.apps.web.selectors_conformite import STATUTS, FiltresFile
from examens.core.reglement import Annulation


class FormulaireChoix(FormulaireDsfr):
    """Comme `FormulaireDsfr`, sans habiller les boutons radio et cases à cocher (gabarit `_choix.html`)."""

    def _habiller(self) -> None:
        super()._habiller()
        for champ in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(champ.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                champ.widget.attrs.pop("class", None)


class FormulaireFileDossiers(FormulaireDsfr, forms.Form):
    statut = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *STATUTS.items()])
    academie = forms.ModelChoiceField(
        label="Académie", queryset=Academie.objects.none(), required=False, empty_label="Toutes"
    )
    centre = ChoixCentre(label="Centre d'examen", queryset=Centre.objects.none(), required=False, empty_label="Tous")
    epreuve = forms.ChoiceField(label="Épreuve", required=False)

    def __init__(
        self,
        *args: Any,
        academies: QuerySet[Academie],
        centres: QuerySet[Centre],
        epreuves: tuple[str, ...],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies.order_by("nom")  # type: ignore[attr-defined]
        self.fields["centre"].queryset = centres.order_by("nom", "code")  # type: ignore[attr-defined]
        self.fields["epreuve"].choices = [("", "Toutes"), *((e, e) for e in epreuves)]
        self._habiller()

    def filtres(self) -> FiltresFile:
        """Les filtres valides (un filtre invalide est ignoré, et signalé par le formulaire)."""
        donnees = self.cleaned_data if self.is_bound else {}
        academie, centre = donnees.get("academie"), donnees.get("centre")
        return FiltresFile(
            statut=donnees.get("statut") or "",
            academie_id=academie.pk if academie is not None else None,
            centre_id=centre.pk if centre is not None else None,
            epreuve=donnees.get("epreuve") or "",
        )


CAUSES = [(a.value, LIBELLES_CAUSES[a.value]) for a in Annulation]


class FormulaireDecision(FormulaireChoix, forms.Form):
    """La décision de la commission de conformité (A.2008) : conforme, ou non conforme avec ses causes."""

    decision = forms.ChoiceField(
        label="Décision de la commission",
        choices=[("conforme", "Dossier conforme"), ("non_conforme", "Dossier non conforme")],
        widget=forms.RadioSelect,
    )
    causes = forms.MultipleChoiceField(
        label="Causes de non-conformité",
        help_text="Une au moins si le dossier est non conforme ; la durée et les attestations annulent E4 et E6.",
        choices=CAUSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motifs = forms.CharField(
        label="Motifs",
        help_text="Obligatoires pour une non-conformité : le candidat et son établissement les reçoivent.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()

    @property
    def conforme(self) -> bool:
        return self.cleaned_data["decision"] == "conforme"


class FormulaireLeveeDoute(FormulaireChoix, forms.Form):
    """La vérification d'un dossier après un doute le jour de l'épreuve : note rétablie, ou NV."""

    issue = forms.ChoiceField(
        label="Issue de la vérification",
        choices=[
            ("retablie", "Dossier conforme : la note est rétablie"),
            ("nv", "Dossier non conforme : l'épreuve devient NV"),
        ],
        widget=forms.RadioSelect,
    )
    causes_nv = forms.MultipleChoiceField(
        label="Causes de non-conformité",
        help_text="Seulement si le dossier est non conforme.",
        choices=CAUSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motif = forms.CharField(
        label="Ce que la vérification a établi",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()

    @property
    def conforme(self) -> bool:
        return self.cleaned_data["issue"] == "retablie"
