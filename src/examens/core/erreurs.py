"""Erreurs du domaine : chacune porte un code stable et un message français qui dit quoi faire."""

from __future__ import annotations


class ErreurExamens(Exception):
    """Base des erreurs métier d'examens (message en français, destiné à une personne)."""

    code = "erreur"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
