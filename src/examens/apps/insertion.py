"""Insertion en masse, sans passer par le compilateur de requêtes de Django (décisions, traces)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, models, router


def inserer_en_masse(modele: type[models.Model], champs: list[str], lignes: list[tuple[Any, ...]]) -> None:
    """INSERT en masse (une requête préparée, `executemany`), sans construire d'objets du modèle.

    `bulk_create` passe chaque valeur par le compilateur de requêtes de Django : 25 000 décisions et
    25 000 traces y coûtent une dizaine de secondes. Ici, seules les valeurs qui en ont besoin (JSON,
    décimal, date-heure) passent par `get_db_prep_save` du champ ; le reste va tel quel au pilote.
    """
    if not lignes:
        return
    connexion = connections[router.db_for_write(modele)]
    meta = modele._meta
    colonnes = [meta.get_field(c) for c in champs]  # nom ou attribut (« candidat_id »)
    convertir: list[Callable[[Any], Any] | None] = [
        (lambda v, f=f: None if v is None else f.get_db_prep_save(v, connexion))  # type: ignore[misc]
        if f.get_internal_type() in ("JSONField", "DecimalField", "DateTimeField")
        else None
        for f in colonnes
    ]
    table = connexion.ops.quote_name(meta.db_table)
    noms = ", ".join(connexion.ops.quote_name(f.column) for f in colonnes)
    preparees = [tuple(v if c is None else c(v) for v, c in zip(ligne, convertir, strict=True)) for ligne in lignes]
    with connexion.cursor() as curseur:
        if connexion.vendor == "postgresql":
            # COPY : le chargement en masse natif de PostgreSQL, dans la même transaction.
            with curseur.cursor.copy(f"COPY {table} ({noms}) FROM STDIN") as copie:
                for ligne in preparees:
                    copie.write_row(ligne)
        else:
            # executemany : une requête préparée une fois pour toutes les lignes.
            requete = f"INSERT INTO {table} ({noms}) VALUES ({', '.join(['%s'] * len(colonnes))})"
            curseur.executemany(requete, preparees)
