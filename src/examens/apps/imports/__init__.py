"""Imports des tableaux des gestionnaires (candidats, établissements, examinateurs, notes) : validation
complète, simulation par défaut, écriture tout ou rien, historique des notes. Voir docs/formats/imports.md.
"""
