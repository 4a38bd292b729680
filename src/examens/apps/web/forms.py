"""Formulaires de l'application web, rendus avec les classes du DSFR (gabarit `web/_champ.html`) : chaque
champ a son libellé, et ses erreurs lui sont reliées (`aria-describedby`, `aria-invalid`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import QuerySet

from examens.apps.jury.models import Decision
from examens.apps.organisation.models import Centre
from examens.apps.web.selectors import SANS_DECISION, SITUATIONS, CriteresRecherche


class FormulaireDsfr:
    """À mêler à un formulaire Django : classes DSFR sur les widgets, erreurs reliées à leur champ."""

    def _habiller(self) -> None:
        for nom, champ in self.fields.items():  # type: ignore[attr-defined]
            widget = champ.widget
            classe = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {classe}".strip()
            if champ.help_text:
                widget.attrs["aria-describedby"] = f"id_{nom}-aide"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for nom in self.errors:  # type: ignore[attr-defined]
            if nom in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[nom].widget.attrs  # type: ignore[attr-defined]
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    x for x in (attrs.get("aria-describedby", ""), f"id_{nom}-erreurs") if x
                )


class FormulaireConnexion(FormulaireDsfr, auth_forms.AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"
        self._habiller()


class FormulaireOubli(FormulaireDsfr, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"
        self.fields["email"].help_text = "Celle de votre compte ; format attendu : nom@domaine.fr"
        self._habiller()


AIDE_MOT_DE_PASSE = (
    "Au moins 12 caractères ; ni entièrement numérique, ni trop courant, ni proche de votre identifiant."
)


class FormulaireNouveauMotDePasse(FormulaireDsfr, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = AIDE_MOT_DE_PASSE
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self._habiller()


class FormulaireChangementMotDePasse(FormulaireDsfr, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = AIDE_MOT_DE_PASSE
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self._habiller()


class ChoixCentre(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.nom} ({obj.code})"


class FormulaireRecherche(FormulaireDsfr, forms.Form):
    """Critères de la recherche de candidats ; les centres proposés sont ceux du périmètre : un centre
    hors périmètre saisi dans l'adresse est refusé comme un choix invalide."""

    texte = forms.CharField(
        label="Nom, prénom ou numéro", required=False, max_length=100, help_text="Par exemple : MARTIN ou 22-000042"
    )
    centre = ChoixCentre(label="Centre d'examen", queryset=Centre.objects.none(), required=False, empty_label="Tous")
    etablissement = forms.CharField(
        label="Établissement", required=False, max_length=100, help_text="UAI ou partie du nom"
    )
    decision = forms.ChoiceField(label="Décision du jury", required=False)
    situation = forms.ChoiceField(label="Situation", required=False, choices=[("", "Toutes"), *SITUATIONS.items()])

    def __init__(self, *args: Any, centres: QuerySet[Centre], avec_decisions: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres.order_by("nom", "code")  # type: ignore[attr-defined]
        if avec_decisions:
            self.fields["decision"].choices = [("", "Toutes"), *Decision.choices, (SANS_DECISION, "sans décision")]
        else:
            del self.fields["decision"]
        self._habiller()

    def criteres(self) -> CriteresRecherche:
        """Les critères valides (un critère invalide est ignoré, et signalé par le formulaire)."""
        donnees = self.cleaned_data if self.is_bound else {}
        centre = donnees.get("centre")
        return CriteresRecherche(
            texte=donnees.get("texte") or "",
            centre_id=centre.pk if centre is not None else None,
            etablissement=donnees.get("etablissement") or "",
            decision=donnees.get("decision") or "",
            situation=donnees.get("situation") or "",
        )
