"""Répartition des sujets E5B (*Circ.* 1.12 : autant de sujets WordPress que PrestaShop).

Fonction pure : chaque passage reçoit un sujet ; une commission ne donne jamais deux fois le même sujet
le même jour ; sur le centre, les nombres de sujets wordpress et prestashop diffèrent d'au plus 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from examens.planning.formats import Sujet, Support


@dataclass(frozen=True, slots=True)
class Demande:
    """Un passage à doter d'un sujet : `cle` l'identifie pour l'appelant."""

    cle: Hashable
    commission: str
    date: str
    debut: int


def repartir_sujets(
    demandes: Sequence[Demande], sujets: Sequence[Sujet], *, imposes: Mapping[Hashable, str] | None = None
) -> dict[Hashable, str]:
    """Attribue un sujet à chaque demande, en alternant les supports pour rester équilibré.

    Les demandes sont traitées dans l'ordre chronologique ; le support choisi est celui qui a été le
    moins donné jusque-là ; parmi ses sujets encore libres pour la commission ce jour-là, le moins
    utilisé. Une demande qui ne trouve aucun sujet libre n'est pas dans le résultat.

    `imposes` (facultatif) : les demandes dont le sujet est déjà fixé (épreuve commencée, sujet consulté) ;
    elles gardent ce sujet, qui compte d'abord dans l'équilibre et dans les sujets déjà donnés par la
    commission ce jour-là.
    """
    par_support: dict[Support, list[Sujet]] = {s: [x for x in sujets if x.support is s] for s in Support}
    support_de = {s.id: s.support for s in sujets}
    donnes: dict[Support, int] = dict.fromkeys(Support, 0)
    usage: dict[str, int] = defaultdict(int)
    utilises: dict[tuple[str, str], set[str]] = defaultdict(set)
    resultat: dict[Hashable, str] = {}
    imposes = imposes or {}
    for demande in demandes:
        sujet = imposes.get(demande.cle)
        if sujet is None:
            continue
        resultat[demande.cle] = sujet
        utilises[(demande.commission, demande.date)].add(sujet)
        usage[sujet] += 1
        if sujet in support_de:
            donnes[support_de[sujet]] += 1
    for demande in sorted(demandes, key=lambda d: (d.date, d.debut, d.commission)):
        if demande.cle in resultat:
            continue
        deja = utilises[(demande.commission, demande.date)]
        ordre = sorted(Support, key=lambda s: (donnes[s], s is not Support.WORDPRESS))
        for support in ordre:
            libres = [s for s in par_support[support] if s.id not in deja]
            if libres:
                choisi = min(libres, key=lambda s: (usage[s.id], s.id))
                resultat[demande.cle] = choisi.id
                deja.add(choisi.id)
                usage[choisi.id] += 1
                donnes[support] += 1
                break
    return resultat
