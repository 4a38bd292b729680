"""Outils des tests de documents : relire un PDF page par page (pypdf), comme le ferait un lecteur."""

from __future__ import annotations

import dataclasses
import enum
import io
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from hypothesis import strategies as st

from examens.documents.donnees import Donnees


def pages_pdf(pdf: bytes) -> list[str]:
    """Le texte de chaque page, espaces normalisés (pypdf rend parfois deux espaces pour une)."""
    lecteur = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in lecteur.pages]


@pytest.fixture
def lire_pdf() -> Callable[[bytes], list[str]]:
    return pages_pdf


_INSTANTS = st.datetimes(
    min_value=datetime(1970, 1, 1),  # noqa: DTZ001 - bornes naïves exigées par hypothesis
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, ZoneInfo("Indian/Mayotte"), timezone(timedelta(hours=-3))]),
)
_NOTES = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
_FUSEAUX = st.sampled_from(["Europe/Paris", "Indian/Reunion", "Indian/Mayotte", "Pacific/Noumea", "Asia/Tokyo"])


def strategie(t: Any, *, nom: str = "", pour_rendu: bool = False) -> st.SearchStrategy[Any]:
    """Une stratégie hypothesis pour un type des données de document, construite d'après les annotations.

    `pour_rendu` : des valeurs qu'un service d'édition peut produire (fuseaux IANA, durées raisonnables).
    """
    origine = typing.get_origin(t)
    if origine in (types.UnionType, typing.Union):
        (membre,) = [a for a in typing.get_args(t) if a is not type(None)]
        return st.none() | strategie(membre, nom=nom, pour_rendu=pour_rendu)
    if origine is tuple:
        element = strategie(typing.get_args(t)[0], nom=nom, pour_rendu=pour_rendu)
        return st.lists(element, max_size=3).map(tuple)
    if t is str:
        return _FUSEAUX if pour_rendu and nom == "fuseau" else st.text(max_size=12)
    if t is bool:
        return st.booleans()
    if t is int:
        return st.integers(0, 600) if pour_rendu else st.integers(min_value=-(2**53), max_value=2**53)
    if t is Decimal:
        return _NOTES
    if t is datetime:
        return _INSTANTS
    if t is date:
        return st.dates()
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return st.sampled_from(list(t))
    if isinstance(t, type) and issubclass(t, Donnees):
        indications = typing.get_type_hints(t)
        champs = {
            f.name: strategie(indications[f.name], nom=f.name, pour_rendu=pour_rendu)
            for f in dataclasses.fields(t)  # type: ignore[arg-type]
        }
        return st.builds(t, **champs)
    raise TypeError(t)


@pytest.fixture(scope="session")
def strategie_de() -> Callable[..., st.SearchStrategy[Any]]:
    return strategie
