"""Réclamations des candidats après la publication des résultats (Circ. 1.14), instruites par l'académie."""
