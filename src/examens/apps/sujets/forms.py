"""Formulaires des pages des sujets, aux classes du DSFR (rendus par le gabarit `web/_champ.html`)."""

from __future__ import annotations

from typing import Any

from django import forms

from examens.apps.dossiers.models import FicheActivite
from examens.apps.organisation.models import Centre, Salle
from examens.apps.sujets.fichiers import taille_max
from examens.apps.sujets.models import Support


class _Dsfr:
    def _habiller(self) -> None:
        for nom, champ in self.fields.items():  # type: ignore[attr-defined]
            widget = champ.widget
            if isinstance(widget, forms.FileInput):
                classe = "fr-upload"
            elif isinstance(widget, forms.CheckboxInput):
                continue
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
            self._marquer(nom)

    def add_error(self, field: str | None, error: Any) -> None:
        """Une erreur ajoutée après la validation (refus d'un service) est reliée à son champ, elle aussi."""
        super().add_error(field, error)  # type: ignore[misc]
        if field is not None:
            self._marquer(field)

    def _marquer(self, nom: str) -> None:
        if nom not in self.fields:  # type: ignore[attr-defined]
            return
        attrs = self.fields[nom].widget.attrs  # type: ignore[attr-defined]
        attrs["aria-invalid"] = "true"
        references = attrs.get("aria-describedby", "").split()
        if f"id_{nom}-erreurs" not in references:
            attrs["aria-describedby"] = " ".join([*references, f"id_{nom}-erreurs"])


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


def _mo(octets: int) -> str:
    return f"{octets // (1024 * 1024)} Mo"


class FormulaireFicheEngagement(_Dsfr, forms.Form):
    """Le dépôt de la fiche d'engagement étudiant : un PDF (le service vérifie que c'en est un vraiment)."""

    fiche = forms.FileField(
        label="Fiche d'engagement étudiant",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        allow_empty_file=True,  # le contrôle du dépôt refuse un fichier vide en le nommant
        error_messages={"required": "Choisissez le fichier PDF de la fiche d'engagement étudiant."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiche"].help_text = f"Un PDF de {_mo(taille_max())} au plus (annexe VIII-1 de la circulaire)."
        self._habiller()

    def clean_fiche(self) -> Any:
        fichier = self.cleaned_data["fiche"]
        if fichier.size > taille_max():
            raise forms.ValidationError(
                f"Le fichier pèse plus de {_mo(taille_max())} : allégez le PDF avant de le déposer."
            )
        return fichier


class FormulaireContexte(_Dsfr, forms.Form):
    version = forms.CharField(label="Version du contexte numérique", max_length=40, help_text="par ex. 2022.1")
    wordpress = forms.CharField(label="Site WordPress", max_length=255, help_text="archive ou adresse d'installation")
    prestashop = forms.CharField(
        label="Boutique PrestaShop", max_length=255, help_text="archive ou adresse d'installation"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._habiller()


class FormulairePostes(_Dsfr, forms.Form):
    """Déclarer des postes E5B (un nom par ligne), dans une salle informatique du centre."""

    noms = forms.CharField(
        label="Postes à déclarer",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="un nom de poste par ligne, par ex. Info1-P01",
        error_messages={"required": "Donnez le nom d'au moins un poste."},
    )
    salle = forms.ModelChoiceField(
        label="Salle informatique", queryset=Salle.objects.none(), required=False, empty_label="(non précisée)"
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["salle"].queryset = Salle.objects.filter(  # type: ignore[attr-defined]
            centre=centre, type=Salle.Type.INFORMATIQUE
        ).order_by("nom")
        self._habiller()

    @property
    def liste_noms(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data.get("noms", "").splitlines() if n.strip()]


class FormulaireAttribution(_Dsfr, forms.Form):
    centre = forms.ModelChoiceField(
        label="Centre", queryset=Centre.objects.none(), required=False, empty_label="Tous les centres de la session"
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        self._habiller()


class FormulaireJournal(_Dsfr, forms.Form):
    centre = forms.ModelChoiceField(
        label="Centre", queryset=Centre.objects.none(), required=False, empty_label="Tous les centres"
    )
    candidat = forms.CharField(label="Numéro du candidat", max_length=20, required=False)

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        self._habiller()
