"""Benchmark de charge : la double saisie des notes d'oral par un vrai serveur HTTP, sur PostgreSQL.

Ce qui est mesuré (issue « Application web (2/2) », point 5) : 50 examinateurs saisissent en même temps, chacun
les candidats de ses commissions, dans une session de 25 000 candidats ; 20 commissions de deux membres (les deux
saisies par les deux membres), 10 commissions d'un membre (seconde saisie par le chef de centre : 10 clients de
plus). Une part des cases est d'abord saisie de travers (écart), puis corrigée par celui qui s'est trompé ; une part
des grilles est renvoyée depuis un « second onglet » périmé, qui doit être refusé (409) sans rien écraser.

Chaque client est un fil (threads + http.client, bibliothèque standard) qui fait ce que fait le navigateur : GET de
la grille, lecture du formulaire (jeton CSRF, versions, cases), POST, redirection. Les sessions de connexion sont
préparées en base avant la mesure (la connexion elle-même n'est pas mesurée).

Serveur : `N` processus `examens gerer runserver` (le serveur WSGI à fils de Django ; ni gunicorn ni waitress ne
sont des dépendances du projet), un par cœur par défaut, sur des ports consécutifs ; chaque client parle toujours
au même. Le client, le serveur et PostgreSQL partagent la machine : les chiffres sont un plancher.

Vérifié ensuite, en base :
  - aucune note perdue : chaque case a son résultat officiel (`Resultat`), égal à la note de la fiche signée ;
  - aucune écriture écrasée en silence : pour chaque saisie, la suite des valeurs tracées dans l'historique est
    exactement la suite des écritures acceptées par le serveur (et sa `version` leur nombre) ; chaque envoi depuis
    une page périmée a reçu 409 et n'a rien écrit ;
  - chaque résultat validé a sa trace dans l'historique inaltérable.

    createdb -h 127.0.0.1 -U postgres examens_charge        # ou --recreer
    .venv/bin/python bench/charge.py --base postgres://postgres@127.0.0.1:5432/examens_charge --recreer
Chiffres : docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

RACINE = Path(__file__).resolve().parents[1]
PARIS = ZoneInfo("Europe/Paris")
JOURS = (date(2022, 5, 30), date(2022, 5, 31))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=os.environ.get("DATABASE_URL", ""), help="URL PostgreSQL (jetable)")
    parser.add_argument("--recreer", action="store_true", help="supprime et recrée la base (nom avec « charge »)")
    parser.add_argument("--candidats", type=int, default=25_000)
    parser.add_argument("--paires", type=int, default=20, help="commissions de deux membres actives")
    parser.add_argument("--seuls", type=int, default=10, help="commissions d'un membre (seconde saisie : le centre)")
    parser.add_argument("--par-jour", type=int, default=12, help="passages par commission et par jour (2 jours)")
    parser.add_argument("--ecarts", type=float, default=0.10, help="part des cases d'abord saisies de travers")
    parser.add_argument("--perimes", type=float, default=0.25, help="part des grilles renvoyées d'un onglet périmé")
    parser.add_argument("--reflexion", type=float, default=1.0, help="secondes entre deux actions d'un client")
    parser.add_argument("--serveurs", type=int, default=os.cpu_count() or 2, help="processus runserver")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--graine", type=int, default=2022)
    parser.add_argument("--objectif-p95", type=float, default=0.300, help="secondes")
    args = parser.parse_args()
    if not args.base.startswith("postgres"):
        parser.error("--base : une URL PostgreSQL (postgres://…), jetable : la base est remplie par le benchmark.")

    os.environ["DATABASE_URL"] = args.base
    os.environ.setdefault("EXAMENS_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("EXAMENS_VAR", tempfile.mkdtemp(prefix="examens-charge-"))
    os.environ["EXAMENS_HTTPS"] = "0"
    os.environ["EXAMENS_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "examens.config.settings"
    if args.recreer:
        _recreer(args.base)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(args.graine)
    t = time.perf_counter()
    monde = _peupler(args, rng)
    print(
        f"Données : {args.candidats} candidats, {monde.passages_total} passages publiés, "
        f"{len(monde.cases)} cases à saisir, {len(monde.clients)} clients ({time.perf_counter() - t:.1f} s)"
    )

    serveurs = _demarrer_serveurs(args)
    charge_avant = os.getloadavg()[0]
    try:
        cpu0 = sum(_cpu(s.pid) for s in serveurs)
        client0 = _cpu(os.getpid())
        base = args.base.rsplit("/", 1)[1].split("?")[0]
        pg0 = _cpu_postgres(base)
        t0 = time.perf_counter()
        fils = [threading.Thread(target=c.jouer, args=(monde,), name=c.identifiant) for c in monde.clients]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        duree = time.perf_counter() - t0
        monde.cpu_serveurs = sum(_cpu(s.pid) for s in serveurs) - cpu0
        monde.cpu_clients = _cpu(os.getpid()) - client0
        monde.cpu_postgres = sum(t - pg0.get(pid, 0.0) for pid, t in _cpu_postgres(base).items())
        monde.charge_machine = (charge_avant, os.getloadavg()[0])
    finally:
        for s in serveurs:
            s.terminate()
        for s in serveurs:
            s.wait(timeout=30)
    return _bilan(args, monde, duree)


# --------------------------------------------------------------------------- base et serveur


def _cpu_postgres(base: str) -> dict[int, float]:
    """Temps CPU des processus serveurs PostgreSQL connectés à la base `base` (un par connexion)."""
    temps = {}
    for dossier in Path("/proc").iterdir():
        if not dossier.name.isdigit():
            continue
        try:
            ligne = (dossier / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if ligne.startswith("postgres: ") and f" {base} " in ligne:
                temps[int(dossier.name)] = _cpu(int(dossier.name))
        except OSError:
            continue
    return temps


def _cpu(pid: int) -> float:
    """Temps CPU (utilisateur + système, en secondes) consommé par un processus et tous ses fils d'exécution."""
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")


def _recreer(url: str) -> None:
    import dj_database_url
    import psycopg

    c = dj_database_url.parse(url)
    if "charge" not in c["NAME"] and "bench" not in c["NAME"]:
        raise SystemExit(f"--recreer refuse de supprimer « {c['NAME']} » : le nom doit contenir « charge ».")
    with psycopg.connect(
        host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname="postgres", autocommit=True
    ) as cx:
        cx.execute(f'DROP DATABASE IF EXISTS "{c["NAME"]}"')
        cx.execute(f'CREATE DATABASE "{c["NAME"]}"')


def _demarrer_serveurs(args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    journal = Path(os.environ["EXAMENS_VAR"]) / "serveur.log"
    serveurs = []
    with journal.open("ab") as sortie:
        for i in range(args.serveurs):
            serveurs.append(
                subprocess.Popen(
                    [
                        str(RACINE / ".venv/bin/examens"),
                        "gerer",
                        "runserver",
                        f"127.0.0.1:{args.port + i}",
                        "--noreload",
                    ],
                    stdout=sortie,
                    stderr=sortie,
                    env=os.environ.copy(),
                )
            )
    for i in range(args.serveurs):
        limite = time.monotonic() + 60
        while True:
            try:
                cx = http.client.HTTPConnection("127.0.0.1", args.port + i, timeout=2)
                cx.request("GET", "/connexion/")
                cx.getresponse().read()
                break
            except OSError:
                if time.monotonic() > limite:
                    raise SystemExit(f"Le serveur {args.port + i} ne répond pas (journal : {journal}).") from None
                time.sleep(0.3)
    print(f"Serveurs : {args.serveurs} × runserver (fils) sur 127.0.0.1:{args.port}…{args.port + args.serveurs - 1}")
    return serveurs


# --------------------------------------------------------------------------- données


@dataclass(frozen=True)
class Verite:
    """Ce que porte la fiche d'évaluation signée pour une case, et qui, le cas échéant, la saisit de travers."""

    valeur: str  # « 12,5 » ou « AB »
    doute: bool
    fautif: str | None  # identifiant de celui qui saisit d'abord une autre valeur
    fausse: str | None


@dataclass
class Monde:
    cases: dict[int, Verite] = field(default_factory=dict)  # passage → vérité
    clients: list[Client] = field(default_factory=list)
    passages_total: int = 0
    verrou: threading.Lock = field(default_factory=threading.Lock)
    mesures: list[tuple[str, float, int]] = field(default_factory=list)  # (type, secondes, statut)
    acceptees: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    perimes_envoyes: int = 0
    perimes_refuses: int = 0
    perimes_acceptes: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    cpu_serveurs: float = 0.0
    cpu_clients: float = 0.0
    cpu_postgres: float = 0.0
    charge_machine: tuple[float, float] = (0.0, 0.0)


def _note(rng: random.Random) -> str:
    demi = rng.randint(0, 40)
    return f"{demi // 2}" + (",5" if demi % 2 else "")


def _peupler(args: argparse.Namespace, rng: random.Random) -> Monde:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from examens.apps.candidats.models import Candidat
    from examens.apps.comptes.models import Habilitation, Role
    from examens.apps.examinateurs.models import Examinateur
    from examens.apps.notes.models import Resultat
    from examens.apps.organisation.models import Academie, Centre, ExamSession
    from examens.apps.planification.models import Commission, Passage, VersionPlanning

    monde = Monde()
    nb_centres = 50
    with transaction.atomic():
        academie = Academie.objects.create(code="clermont-ferrand", nom="Clermont-Ferrand")
        session = ExamSession.objects.create(
            code="bts-ndrc-2022", intitule="BTS NDRC 2022", reglement="bts-ndrc-2022", academie_pilote=academie
        )
        centres = Centre.objects.bulk_create(
            Centre(academie=academie, code=f"0{630000 + i:06d}X", nom=f"Centre {i:02d}") for i in range(nb_centres)
        )
        candidats = Candidat.objects.bulk_create(
            (
                Candidat(
                    session=session,
                    numero=f"22-{k:06d}",
                    nom=f"NOM{k}",
                    prenoms="Camille",
                    date_naissance=date(2002, 1, 1),
                    mode_preparation=Candidat.ModePreparation.INDIVIDUEL,
                    langue_e2="anglais",
                    centre=centres[k % nb_centres],
                )
                for k in range(args.candidats)
            ),
            batch_size=5000,
        )
        # Les écrits déjà notés : la table des résultats a le volume d'une vraie session.
        Resultat.objects.bulk_create(
            (
                Resultat(candidat=c, epreuve=e, note_examinateur=Decimal(8 + (c.pk + j) % 10))
                for c in candidats
                for j, e in enumerate(("E1", "E3", "E5A"))
            ),
            batch_size=10000,
        )
        versions = VersionPlanning.objects.bulk_create(
            VersionPlanning(
                session=session,
                centre=centre,
                numero=1,
                statut=VersionPlanning.Statut.PUBLIE,
                creee_par="bench",
                solveur="bench",
                statut_solveur="BENCH",
                duree_s=0,
                instance={},
                resultat={},
                passages_planifies=0,
                non_planifies=0,
                jours_candidats=0,
                attente_minutes=0,
                demi_journees_commissions=0,
            )
            for centre in centres
        )
        # Toutes les commissions de la session (E5B et E4, deux membres), dont les 30 actives de la mesure.
        par_centre: dict[int, list[Any]] = defaultdict(list)
        for c in candidats:
            par_centre[c.centre_id].append(c)
        examinateurs: list[Examinateur] = []
        commissions: list[tuple[Commission, list[Any], int]] = []  # (commission, membres, centre index)
        passages: list[Passage] = []
        actives: list[tuple[Commission, list[Examinateur], list[Passage]]] = []
        a_faire = [2] * args.paires + [1] * args.seuls
        numero_x = 0
        for i, centre in enumerate(centres):
            liste = par_centre[centre.pk]
            taille = args.par_jour * len(JOURS)
            for bloc in range(0, len(liste), taille):
                groupe = liste[bloc : bloc + taille]
                membres_n = a_faire.pop() if a_faire and bloc == 0 else 2
                active = len(actives) < args.paires + args.seuls and bloc == 0
                epreuve = ("E4", "E5B")[(i + bloc // taille) % 2]
                if active and membres_n == 1:
                    epreuve = "E2"
                membres = []
                for _ in range(membres_n):
                    numero_x += 1
                    membres.append(
                        Examinateur(
                            session=session,
                            code=f"X{numero_x:05d}",
                            nom=f"EXAMINATEUR{numero_x}",
                            prenom="Alex",
                            qualite="enseignant",
                            bloc=2,
                            academie=academie,
                        )
                    )
                examinateurs += membres
                k = Commission(session=session, centre=centre, code=f"K{bloc // taille:03d}", epreuves=[epreuve])
                commissions.append((k, membres, i))
                mes_passages = []
                for n, c in enumerate(groupe):
                    jour = JOURS[n // args.par_jour]
                    debut = datetime(jour.year, jour.month, jour.day, 8, tzinfo=PARIS) + timedelta(
                        minutes=40 * (n % args.par_jour)
                    )
                    p = Passage(
                        version=versions[i],
                        candidat=c,
                        epreuve=epreuve,
                        commission=k,
                        debut=debut.astimezone(UTC),
                        fin=(debut + timedelta(minutes=40)).astimezone(UTC),
                    )
                    mes_passages.append(p)
                passages += mes_passages
                if active:
                    actives.append((k, membres, mes_passages))
        Examinateur.objects.bulk_create(examinateurs, batch_size=5000)
        Commission.objects.bulk_create([k for k, _, _ in commissions], batch_size=5000)
        Commission.membres.through.objects.bulk_create(
            [
                Commission.membres.through(commission_id=k.pk, examinateur_id=x.pk)
                for k, membres, _ in commissions
                for x in membres
            ],
            batch_size=10000,
        )
        for p in passages:
            p.commission_id = p.commission.pk
        Passage.objects.bulk_create(passages, batch_size=10000)
        monde.passages_total = len(passages)

        # Comptes : un par examinateur actif, un par chef de centre d'une commission d'un membre.
        modele = get_user_model()
        backend = settings.AUTHENTICATION_BACKENDS[-1]
        for k, membres, mes_passages in actives:
            centre = next(c for c in centres if c.pk == k.centre_id)
            comptes = []
            for x in membres:
                u = modele.objects.create_user(f"x-{x.code.lower()}", None, None)
                Habilitation.objects.create(
                    utilisateur=u, role=Role.EXAMINATEUR, session=session, examinateur=x, accordee_par="bench"
                )
                comptes.append(u)
            if len(membres) == 1:
                u = modele.objects.create_user(f"chef-{centre.code.lower()}", None, None)
                Habilitation.objects.create(
                    utilisateur=u, role=Role.CHEF_DE_CENTRE, session=session, centre=centre, accordee_par="bench"
                )
                comptes.append(u)
            identifiants = [u.get_username() for u in comptes]
            for p in mes_passages:
                fautif = rng.choice(identifiants) if rng.random() < args.ecarts else None
                absent = rng.random() < 0.04
                valeur = "AB" if absent else _note(rng)
                fausse = None
                if fautif is not None:
                    fausse = _note(rng)
                    while fausse == valeur:
                        fausse = _note(rng)
                doute = epreuve_a_dossier(p.epreuve) and not absent and rng.random() < 0.05
                monde.cases[p.pk] = Verite(valeur, doute, fautif, fausse)
            for u in comptes:
                store = SessionStore()
                store["_auth_user_id"] = str(u.pk)
                store["_auth_user_backend"] = backend
                store["_auth_user_hash"] = u.get_session_auth_hash()
                store.create()
                seconde = u.get_username().startswith("chef-")
                monde.clients.append(
                    Client(
                        identifiant=u.get_username(),
                        session_id=store.session_key,
                        url=f"/saisie/commissions/{k.pk}/",
                        passages=[p.pk for p in mes_passages],
                        seconde_du_centre=seconde,
                        port=args.port + len(monde.clients) % args.serveurs,
                        reflexion=args.reflexion,
                        perime=rng.random() < args.perimes,
                        rng=random.Random(rng.random()),
                    )
                )
    return monde


def epreuve_a_dossier(code: str) -> bool:
    return code in ("E4", "E6")


# --------------------------------------------------------------------------- un client (un fil)

_LIGNE = re.compile(r'<tr id="ligne-(\d+)".*?</tr>', re.S)
_CHAMP = re.compile(r'<input[^>]*name="([^"]+)"[^>]*>', re.S)
_VALEUR = re.compile(r'value="([^"]*)"')


@dataclass
class Client:
    identifiant: str
    session_id: str
    url: str
    passages: list[int]
    seconde_du_centre: bool
    port: int
    reflexion: float
    perime: bool
    rng: random.Random
    cookies: dict[str, str] = field(default_factory=dict)
    cx: http.client.HTTPConnection | None = None

    def _requete(self, monde: Monde, methode: str, chemin: str, corps: dict[str, str] | None = None) -> tuple[int, str]:
        entetes = {"Cookie": "; ".join(f"{k}={v}" for k, v in {"sessionid": self.session_id, **self.cookies}.items())}
        donnees = None
        if corps is not None:
            donnees = urllib.parse.urlencode(corps).encode()
            entetes["Content-Type"] = "application/x-www-form-urlencoded"
        for essai in range(2):
            if self.cx is None:
                self.cx = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            debut = time.perf_counter()
            try:
                self.cx.request(methode, chemin, body=donnees, headers=entetes)
                r = self.cx.getresponse()
                texte = r.read().decode()
            except (http.client.HTTPException, OSError):
                self.cx.close()
                self.cx = None  # connexion fermée par le serveur : on en rouvre une (une fois)
                if essai:
                    raise
                continue
            duree = time.perf_counter() - debut
            break
        for entete, valeur in r.getheaders():
            if entete.lower() == "set-cookie" and valeur.startswith("csrftoken="):
                self.cookies["csrftoken"] = valeur.split(";", 1)[0].split("=", 1)[1]
        if r.getheader("Connection", "").lower() == "close":
            self.cx.close()
            self.cx = None
        with monde.verrou:
            monde.mesures.append((f"{methode} grille", duree, r.status))
        return r.status, texte

    def _lire(self, page: str) -> tuple[dict[str, str], dict[int, str]]:
        """Le formulaire (champs → valeurs, cases cochées comprises) et l'état de chaque ligne (texte du badge)."""
        champs: dict[str, str] = {}
        for balise in _CHAMP.finditer(page):
            nom = balise.group(1)
            if 'type="checkbox"' in balise.group(0):
                if " checked" in balise.group(0):
                    champs[nom] = "on"
                continue
            v = _VALEUR.search(balise.group(0))
            champs[nom] = html.unescape(v.group(1)) if v else ""
        etats = {}
        for ligne in _LIGNE.finditer(page):
            texte = ligne.group(0)
            etats[int(ligne.group(1))] = (
                "ecart"
                if "écart entre" in texte
                else "validee"
                if "validée" in texte
                else "attente"
                if "en attente" in texte
                else "a_saisir"
            )
        return champs, etats

    def _envoyer(self, monde: Monde, url: str, champs: dict[str, str], ecrites: dict[int, str]) -> tuple[int, str]:
        statut, page = self._requete(monde, "POST", url, champs)
        refusees = {int(x) for x in re.findall(r'id="erreur-(\d+)"', page)} if statut != 302 else set()
        with monde.verrou:
            for pk, valeur in ecrites.items():
                if pk not in refusees:
                    monde.acceptees[(pk, self.identifiant)].append(valeur)
            if statut not in (302, 409) or (statut == 409 and not refusees):
                monde.anomalies.append(f"{self.identifiant} : POST {url} → {statut} ({len(refusees)} refus)")
        return statut, page

    def jouer(self, monde: Monde) -> None:
        try:
            for jour in JOURS:
                self._jour(monde, f"{self.url}{jour.isoformat()}/")
        except Exception as exc:
            with monde.verrou:
                monde.anomalies.append(f"{self.identifiant} : {type(exc).__name__} : {exc}")
        finally:
            if self.cx is not None:
                self.cx.close()

    def _jour(self, monde: Monde, url: str) -> None:
        time.sleep(self.rng.random() * self.reflexion)
        perime_a_faire = self.perime
        for _tour in range(60):
            statut, page = self._requete(monde, "GET", url)
            if statut != 200:
                raise RuntimeError(f"GET {url} → {statut}")
            champs, etats = self._lire(page)
            onglet_perime = dict(champs)  # la même page, restée ouverte dans un second onglet
            a_ecrire: dict[int, str] = {}
            for pk, etat in etats.items():
                verite = monde.cases.get(pk)
                if verite is None or f"valeur-{pk}" not in champs:
                    continue
                if etat in ("a_saisir", "attente") and champs[f"valeur-{pk}"] == "":
                    # Sa première saisie : celui qui se trompe sur cette case tape une autre note.
                    valeur = verite.fausse if verite.fautif == self.identifiant else verite.valeur
                elif etat == "ecart" and verite.fautif == self.identifiant:
                    valeur = verite.valeur  # il revoit la fiche signée : il corrige
                else:
                    continue
                champs[f"valeur-{pk}"] = valeur
                if verite.doute:
                    champs[f"doute-{pk}"] = "on"
                a_ecrire[pk] = valeur
            if a_ecrire:
                time.sleep(self.reflexion * (0.5 + self.rng.random()))  # le temps de taper
                self._envoyer(monde, url, champs, a_ecrire)
            if perime_a_faire and a_ecrire:
                # Le « second onglet », ouvert avant cet envoi : une case qu'on vient d'écrire, une autre valeur.
                pk = next(iter(a_ecrire))
                onglet_perime[f"valeur-{pk}"] = "0,5" if a_ecrire[pk] != "0,5" else "1"
                statut, page = self._requete(monde, "POST", url, onglet_perime)
                with monde.verrou:
                    monde.perimes_envoyes += 1
                    if statut == 409 and f'id="erreur-{pk}"' in page and "rien n" in page:
                        monde.perimes_refuses += 1
                    else:
                        monde.perimes_acceptes.append(f"{self.identifiant} passage {pk} → {statut}")
                perime_a_faire = False
            mes_cases = [pk for pk in etats if pk in monde.cases]
            if all(etats[pk] == "validee" for pk in mes_cases):
                return
            time.sleep(self.reflexion)
        with monde.verrou:
            monde.anomalies.append(f"{self.identifiant} : {url} non terminée après 60 tours")


# --------------------------------------------------------------------------- bilan


def _bilan(args: argparse.Namespace, monde: Monde, duree: float) -> int:
    from examens.apps.historique.models import Trace
    from examens.apps.notes.models import Resultat, Saisie
    from examens.apps.planification.models import Passage

    passages = {p.pk: p for p in Passage.objects.filter(pk__in=monde.cases).only("pk", "candidat_id", "epreuve")}
    resultats = {
        (r.candidat_id, r.epreuve): r
        for r in Resultat.objects.filter(candidat_id__in=[p.candidat_id for p in passages.values()])
    }
    perdues = []
    for pk, v in monde.cases.items():
        p = passages[pk]
        r = resultats.get((p.candidat_id, p.epreuve))
        attendu = ("AB", None, False) if v.valeur == "AB" else ("note", Decimal(v.valeur.replace(",", ".")), v.doute)
        if r is None or (r.etat, r.note_examinateur, r.suspendue) != attendu:
            perdues.append(f"passage {pk} : attendu {attendu}, en base {r and (r.etat, r.note_examinateur)}")

    saisies = list(Saisie.objects.filter(passage_id__in=monde.cases))
    traces: dict[str, list[Any]] = defaultdict(list)
    for t in Trace.objects.filter(
        objet_type="notes.saisie", action__in=[Trace.Action.CREATION, Trace.Action.MODIFICATION]
    ).order_by("id"):
        traces[t.objet_id].append(t.apres)
    ecrasees = []
    for s in saisies:
        acceptees = [x.replace(",", ".") for x in monde.acceptees.get((s.passage_id, s.saisie_par), [])]
        tracees = ["AB" if a["etat"] == "AB" else f"{Decimal(a['note']).normalize():f}" for a in traces[str(s.pk)]]
        normalisees = [x if x == "AB" else f"{Decimal(x).normalize():f}" for x in acceptees]
        if tracees != normalisees or s.version != len(acceptees):
            ecrasees.append(
                f"saisie {s.pk} ({s.saisie_par}) : acceptées {normalisees}, tracées {tracees}, v{s.version}"
            )
    orphelines = set(monde.acceptees) - {(s.passage_id, s.saisie_par) for s in saisies}
    validees = Resultat.objects.filter(candidat_id__in=[p.candidat_id for p in passages.values()]).exclude(
        epreuve__in=["E1", "E3", "E5A"]
    )
    tracees_resultats = set(
        Trace.objects.filter(objet_type="notes.resultat", action=Trace.Action.CREATION).values_list(
            "objet_id", flat=True
        )
    )
    sans_trace = [r.pk for r in validees if str(r.pk) not in tracees_resultats]

    temps: dict[str, list[float]] = defaultdict(list)
    statuts: Counter[str] = Counter()
    for genre, secondes, statut in monde.mesures:
        temps[genre].append(secondes)
        statuts[f"{genre} {statut}"] += 1
    tout = sorted(s for _, s, _ in monde.mesures)

    def p(valeurs: list[float], q: float) -> float:
        valeurs = sorted(valeurs)
        return valeurs[min(len(valeurs) - 1, int(q * len(valeurs)))] if valeurs else 0.0

    print()
    print(f"Charge : {len(monde.clients)} clients, {len(monde.mesures)} requêtes en {duree:.1f} s")
    print(
        f"  débit : {len(monde.mesures) / duree:.1f} requêtes/s ; saisies acceptées : "
        f"{sum(len(v) for v in monde.acceptees.values())} ({sum(len(v) for v in monde.acceptees.values()) / duree:.1f}/s)"
    )
    print("  | requête | nombre | médiane | p95 | p99 | max |")
    for genre, valeurs in [*sorted(temps.items()), ("toutes", tout)]:
        print(
            f"  | {genre} | {len(valeurs)} | {statistics.median(valeurs) * 1000:.0f} ms | {p(valeurs, 0.95) * 1000:.0f} ms "
            f"| {p(valeurs, 0.99) * 1000:.0f} ms | {max(valeurs) * 1000:.0f} ms |"
        )
    print(f"  statuts : {dict(sorted(statuts.items()))}")
    print(
        f"  CPU des serveurs : {monde.cpu_serveurs:.1f} s, soit {monde.cpu_serveurs / len(monde.mesures) * 1000:.0f} ms "
        f"par requête (PostgreSQL : {monde.cpu_postgres:.1f} s ; clients : {monde.cpu_clients:.1f} s) ; charge de la machine (loadavg 1 min) : {monde.charge_machine[0]:.1f} au début, "
        f"{monde.charge_machine[1]:.1f} à la fin ({os.cpu_count()} cœurs)"
    )
    print()
    print(f"Cases : {len(monde.cases)} ; résultats validés et justes : {len(monde.cases) - len(perdues)}")
    print(f"  notes perdues ou fausses : {len(perdues)}")
    print(
        f"  écritures écrasées en silence (historique ≠ écritures acceptées) : {len(ecrasees)} ; orphelines : {len(orphelines)}"
    )
    print(
        f"  envois depuis un onglet périmé : {monde.perimes_envoyes}, refusés avec message (409) : {monde.perimes_refuses}"
    )
    print(f"  résultats validés sans trace dans l'historique : {len(sans_trace)}")
    print(f"  écarts provoqués puis corrigés : {sum(1 for v in monde.cases.values() if v.fautif)}")
    for ligne in (perdues + ecrasees + monde.perimes_acceptes + monde.anomalies)[:20]:
        print(f"  ! {ligne}", file=sys.stderr)
    ok = not (perdues or ecrasees or orphelines or sans_trace or monde.perimes_acceptes or monde.anomalies)
    ok = ok and monde.perimes_envoyes == monde.perimes_refuses
    p95 = p(tout, 0.95)
    print(
        f"\nIntégrité : {'OK' if ok else 'ÉCHEC'} ; p95 = {p95 * 1000:.0f} ms (objectif ≤ {args.objectif_p95 * 1000:.0f} ms : "
        f"{'atteint' if p95 <= args.objectif_p95 else 'non atteint'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
