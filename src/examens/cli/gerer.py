"""`examens gerer COMMANDE …` : les commandes d'administration de Django (migrate, createsuperuser,
runserver, check…), avec les réglages d'examens."""

from __future__ import annotations

import argparse
import os
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "gerer",
        help="Commandes d'administration Django (migrate, runserver, createsuperuser…)",
        description="Lance une commande d'administration Django avec les réglages d'examens.",
        add_help=False,
    )
    p.add_argument("arguments", nargs=argparse.REMAINDER, help="la commande Django et ses arguments")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["examens gerer", *args.arguments])
    return 0
