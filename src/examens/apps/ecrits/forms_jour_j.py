"""Formulaires des pages du jour J et des absences (classes du DSFR, erreurs reliées à leur champ :
`web.forms.FormulaireDsfr`). Les règles (une personne par salle, une suspicion de fraude désigne un candidat,
un vrai PDF/JPEG/PNG, l'ABJ sur pièce) sont celles des services : le formulaire ne contrôle que la saisie."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.ecrits.models import Absence, Incident
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Centre, EpreuveEcrite
from examens.apps.web.forms import FormulaireDsfr
from examens.core.ecrits import REGLES_ECRITS

FORMAT_DATE_HEURE = "%Y-%m-%dT%H:%M"
TYPES_ACCEPTES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def _mo(octets: int) -> str:
    return f"{octets // (1024 * 1024)} Mo"


class _Dsfr(FormulaireDsfr):
    """Le mélange DSFR, plus : champ de fichier `fr-upload`, boutons radio et cases laissés au gabarit."""

    def _habiller(self) -> None:
        super()._habiller()
        for champ in self.fields.values():  # type: ignore[attr-defined]
            widget = champ.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.pop("class", None)  # boutons radio rendus par le gabarit (fr-radio-group)
            elif isinstance(widget, forms.FileInput):
                widget.attrs["class"] = "fr-upload"
                widget.attrs["accept"] = TYPES_ACCEPTES


class ChoixExaminateur(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.prenom} {obj.nom.upper()} ({obj.code})"


class FormulaireSurveillant(_Dsfr, forms.Form):
    """Ajouter un surveillant à une salle : un examinateur de la session, ou une autre personne nommée."""

    examinateur = ChoixExaminateur(
        label="Examinateur de la session",
        queryset=Examinateur.objects.none(),
        required=False,
        empty_label="— aucun —",
        error_messages={"invalid_choice": "Cet examinateur n'est pas proposé pour ce centre ; choisissez-en un autre."},
    )
    nom = forms.CharField(
        label="Ou autre surveillant (nom)",
        max_length=150,
        required=False,
        help_text="Personnel du centre qui n'est pas examinateur de la session ; par exemple : Mme Claire DUPONT",
    )

    def __init__(self, *args: Any, examinateurs: QuerySet[Examinateur], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["examinateur"].queryset = examinateurs  # type: ignore[attr-defined]
        self._habiller()

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        examinateur, nom = donnees.get("examinateur"), (donnees.get("nom") or "").strip()
        if not self.errors:
            if examinateur is None and not nom:
                raise forms.ValidationError("Choisissez un examinateur ou saisissez le nom du surveillant.")
            if examinateur is not None and nom:
                raise forms.ValidationError(
                    "Un surveillant à la fois : choisissez un examinateur ou saisissez un nom, pas les deux."
                )
        donnees["nom"] = nom
        return donnees


class ChoixCandidat(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.nom} {obj.prenoms} ({obj.numero})"


class FormulaireIncident(_Dsfr, forms.Form):
    """Procès-verbal d'incident ou de suspicion de fraude, l'heure en heure locale du centre (le formulaire est
    lu et rendu dans le fuseau du centre : `timezone.override`)."""

    nature = forms.ChoiceField(label="Nature", choices=Incident.Nature.choices)
    candidat = ChoixCandidat(
        label="Candidat concerné",
        queryset=Candidat.objects.none(),
        required=False,
        empty_label="— aucun (incident de salle) —",
        help_text="obligatoire pour une suspicion de fraude",
        error_messages={
            "invalid_choice": "Ce candidat ne compose pas dans cette salle ; choisissez-en un de la liste."
        },
    )
    survenu_le = forms.DateTimeField(
        label="Survenu le (heure locale du centre)",
        input_formats=[FORMAT_DATE_HEURE, "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=FORMAT_DATE_HEURE),
        error_messages={"invalid": "Saisissez une date et une heure, par exemple 16/05/2022 14:35."},
    )
    description = forms.CharField(
        label="Faits constatés",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui a été vu ou entendu, par qui, à quelle table ; sans appréciation.",
        error_messages={"required": "Décrivez les faits constatés."},
    )
    mesures = forms.CharField(
        label="Mesures prises",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : matériel retenu, candidat autorisé à poursuivre l'épreuve.",
    )

    def __init__(self, *args: Any, candidats: QuerySet[Candidat], jour: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jour = jour
        self.fields["candidat"].queryset = candidats  # type: ignore[attr-defined]
        self._habiller()

    def clean_survenu_le(self) -> datetime:
        valeur: datetime = self.cleaned_data["survenu_le"]
        if timezone.localtime(valeur).date() != self.jour:
            raise forms.ValidationError(
                f"L'incident se rapporte à l'épreuve du {self.jour:%d/%m/%Y} : saisissez une heure de ce jour-là."
            )
        if valeur > timezone.now():
            raise forms.ValidationError("Cette heure n'est pas encore passée : un procès-verbal relate des faits.")
        return valeur


class FormulaireJustificatif(_Dsfr, forms.Form):
    fichier = forms.FileField(
        label="Pièce justificative",
        help_text=(
            f"Un PDF, ou un scan en JPEG ou PNG, de {_mo(REGLES_ECRITS.justificatif_octets_max)} au plus "
            "(certificat médical, convocation officielle, attestation…)."
        ),
        widget=forms.FileInput,
        allow_empty_file=True,  # le service refuse un fichier vide en le nommant
        error_messages={"required": "Choisissez le fichier de la pièce justificative."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()

    def clean_fichier(self) -> Any:
        fichier = self.cleaned_data["fichier"]
        maximum = REGLES_ECRITS.justificatif_octets_max
        if fichier.size is not None and fichier.size > maximum:
            raise forms.ValidationError(
                f"« {fichier.name} » pèse {fichier.size / 1024 / 1024:.1f} Mo ; {_mo(maximum)} au plus. "
                "Réduisez la résolution du scan ou déposez un PDF."
            )
        return fichier

    def contenu(self) -> tuple[str, bytes]:
        """Nom et octets du fichier (de taille permise : `clean_fichier`) ; le service en vérifie le contenu."""
        fichier = self.cleaned_data["fichier"]
        return fichier.name, fichier.read(REGLES_ECRITS.justificatif_octets_max + 1)


DECISIONS = [
    (Absence.Decision.FORCE_MAJEURE.value, "Force majeure reconnue : l'épreuve est notée ABJ (absent justifié)"),
    (Absence.Decision.REFUSEE.value, "Justification refusée : l'épreuve reste notée AB (absent)"),
]


class FormulaireDecision(_Dsfr, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez : force majeure reconnue (ABJ) ou justification refusée (AB)."},
    )
    motif = forms.CharField(
        label="Motif",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Communiqué au candidat et à son établissement ; par exemple : hospitalisation attestée.",
        error_messages={"required": "Motivez la décision : le motif est communiqué au candidat."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FiltreAbsences(_Dsfr, forms.Form):
    epreuve = forms.ModelChoiceField(
        label="Épreuve", queryset=EpreuveEcrite.objects.none(), required=False, empty_label="Toutes"
    )
    centre = forms.ModelChoiceField(label="Centre", queryset=Centre.objects.none(), required=False, empty_label="Tous")
    decision = forms.ChoiceField(label="Décision", required=False, choices=[("", "Toutes"), *Absence.Decision.choices])

    def __init__(self, *args: Any, epreuves: QuerySet[EpreuveEcrite], centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["epreuve"].queryset = epreuves.order_by("debut")  # type: ignore[attr-defined]
        self.fields["epreuve"].label_from_instance = lambda e: e.epreuve  # type: ignore[attr-defined]
        self.fields["centre"].queryset = centres.order_by("nom", "code")  # type: ignore[attr-defined]
        self.fields["centre"].label_from_instance = lambda c: f"{c.nom} ({c.code})"  # type: ignore[attr-defined]
        self._habiller()
