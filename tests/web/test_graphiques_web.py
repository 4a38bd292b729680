"""La géométrie des graphiques SVG : entiers, proportions, valeurs absentes, libellés tronqués."""

from __future__ import annotations

from decimal import Decimal

from examens.apps.web.graphiques import LARGEUR_TRACE, LIBELLE_MAX, barres_horizontales, histogramme


def test_barres_proportionnelles_a_l_echelle() -> None:
    g = barres_horizontales(
        identifiant="t",
        titre="Taux",
        description="…",
        donnees=[("A", Decimal("80.0")), ("C", Decimal("50.5")), ("vide", None)],
        maximum=100,
        unite=" %",
    )
    a, c, vide = g.barres
    assert a.largeur == round(LARGEUR_TRACE * 0.8)
    assert c.largeur == round(LARGEUR_TRACE * 0.505)
    assert (a.texte, c.texte, vide.texte, vide.largeur) == ("80 %", "50,5 %", "—", 0)
    assert [gr.texte for gr in g.graduations] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    for barre in g.barres:
        assert all(isinstance(v, int) for v in (barre.x, barre.y, barre.largeur, barre.hauteur, barre.x_texte))


def test_un_libelle_trop_long_est_tronque_mais_garde_en_entier() -> None:
    long = "Lycée polyvalent Jean-Baptiste-de-La-Salle-et-Saint-Exupéry (0631234A)"
    g = barres_horizontales(identifiant="t", titre="T", description="D", donnees=[(long, 10)])
    assert g.barres[0].libelle == long
    assert len(g.barres[0].libelle_court) == LIBELLE_MAX
    assert g.barres[0].libelle_court.endswith("…")


def test_histogramme_sans_donnees_ne_divise_pas_par_zero() -> None:
    g = histogramme(identifiant="h", titre="H", description="D", donnees=[("0 à 2", 0), ("2 à 4", 0)])
    assert [b.hauteur for b in g.barres] == [0, 0]
    g = histogramme(identifiant="h", titre="H", description="D", donnees=[("0 à 2", 5), ("2 à 4", 10)])
    assert [b.hauteur for b in g.barres] == [80, 160]
