"""Formulaires des lots de copies (DSFR, erreurs reliées à leur champ) : constituer les lots d'un centre de
correction, confier un lot à un correcteur, répartir les lots sans correcteur. Ils ne contrôlent que la saisie ;
les règles (jamais un correcteur sur les copies de son établissement, plus de changement après une saisie,
harmonisation verrouillée) sont celles des services, qui refusent avec un message français."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.examinateurs.models import Examinateur
from examens.apps.web.forms import FormulaireDsfr
from examens.core.ecrits import REGLES_ECRITS

TAILLE_MAX = 500


def libelle_correcteur(e: Examinateur, charge: dict[int, tuple[int, int]]) -> str:
    """« Paul LEROY (X0001) — Lycée Blaise-Pascal — 1 lot, 30 copies »."""
    texte = f"{e.prenom} {e.nom.upper()} ({e.code})"
    if e.etablissement_id is not None:
        texte += f" — {e.etablissement.nom}"  # type: ignore[union-attr]
    lots, copies = charge.get(e.pk, (0, 0))
    if lots:
        texte += f" — {lots} lot{'s' if lots > 1 else ''}, {copies} copie{'s' if copies > 1 else ''}"
    return texte


class FormulaireConstitution(FormulaireDsfr, forms.Form):
    taille = forms.IntegerField(
        label="Copies par lot (au plus)",
        min_value=1,
        max_value=TAILLE_MAX,
        initial=REGLES_ECRITS.taille_lot,
        help_text="Les lots d'un centre ont des tailles voisines : 101 copies en lots de 50 font 34 + 34 + 33",
        error_messages={
            "required": "Indiquez le nombre de copies par lot, par exemple 50.",
            "invalid": "Indiquez un nombre entier de copies, par exemple 50.",
            "min_value": "Un lot contient au moins une copie.",
            "max_value": f"Un lot contient au plus {TAILLE_MAX} copies.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulaireAffectation(FormulaireDsfr, forms.Form):
    """Confier un lot du centre de correction à un correcteur (ou le confier à un autre)."""

    lot = forms.ChoiceField(
        label="Lot",
        error_messages={
            "required": "Choisissez le lot à confier.",
            "invalid_choice": "Ce lot n'est pas un lot de ce centre de correction : choisissez-en un dans la liste.",
        },
    )
    correcteur = forms.ChoiceField(
        label="Correcteur",
        help_text="Examinateurs de la session de l'académie du centre ; jamais un lot qui contient la copie d'un "
        "candidat de leur établissement",
        error_messages={
            "required": "Choisissez le correcteur à qui confier le lot.",
            "invalid_choice": "Ce correcteur n'est pas proposé pour ce centre de correction : choisissez-en un "
            "dans la liste.",
        },
    )

    def __init__(
        self,
        *args: Any,
        lots: list[tuple[str, str]],
        correcteurs: list[Examinateur],
        charge: dict[int, tuple[int, int]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.correcteurs = {str(e.pk): e for e in correcteurs}
        self.fields["lot"].choices = [("", "Choisissez un lot"), *lots]  # type: ignore[attr-defined]
        self.fields["correcteur"].choices = [  # type: ignore[attr-defined]
            ("", "Choisissez un correcteur"),
            *((pk, libelle_correcteur(e, charge)) for pk, e in self.correcteurs.items()),
        ]
        self._habiller()

    def clean_correcteur(self) -> Examinateur:
        return self.correcteurs[self.cleaned_data["correcteur"]]


class FormulaireRepartition(FormulaireDsfr, forms.Form):
    """Répartir automatiquement les lots sans correcteur entre les correcteurs cochés (`affecter_lots`)."""

    correcteurs = forms.MultipleChoiceField(
        label="Correcteurs entre lesquels répartir les lots sans correcteur",
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque lot va au correcteur le moins chargé qui n'a aucun candidat de son établissement dans le "
        "lot ; tout ou rien",
        error_messages={
            "required": "Cochez au moins un correcteur.",
            "invalid_choice": "Un correcteur coché n'est pas proposé pour ce centre de correction.",
        },
    )

    def __init__(
        self, *args: Any, correcteurs: list[Examinateur], charge: dict[int, tuple[int, int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposes = {str(e.pk): e for e in correcteurs}
        champ = self.fields["correcteurs"]
        champ.choices = [(pk, libelle_correcteur(e, charge)) for pk, e in self.proposes.items()]  # type: ignore[attr-defined]
        self._habiller()
        champ.widget.attrs.pop("class", None)  # cases rendues par le gabarit (fr-checkbox-group)
        champ.widget.attrs.pop("aria-describedby", None)  # l'aide est reliée au groupe (fieldset)

    def clean_correcteurs(self) -> list[Examinateur]:
        return [self.proposes[pk] for pk in self.cleaned_data["correcteurs"]]
