#!/usr/bin/env bash
# Relance la suite de tests sur PostgreSQL (127.0.0.1:5432 par défaut, ou EXAMENS_TEST_POSTGRES_URL).
# Sans PostgreSQL : message visible et rien d'autre, sauf sous CI=true où PostgreSQL est démarré et exigé.
set -u
URL="${EXAMENS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PY=.venv/bin/python

joignable() {
  "$PY" - "$URL" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None,
                dbname=c["NAME"], connect_timeout=3).close()
PYEOF
}

if ! joignable; then
  if [ "${CI:-}" = "true" ]; then
    echo "→ PostgreSQL injoignable : démarrage du serveur local"
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 20); do joignable && break; sleep 1; done
    fi
    if ! joignable; then
      echo "ERREUR : PostgreSQL est exigé sous CI=true et reste injoignable ($URL)." >&2
      exit 1
    fi
  else
    echo "════════════════════════════════════════════════════════════════════════"
    echo " PostgreSQL injoignable ($URL) : la suite n'a PAS été relancée sur PostgreSQL."
    echo " Démarrez-le ou indiquez EXAMENS_TEST_POSTGRES_URL pour la relancer."
    echo "════════════════════════════════════════════════════════════════════════"
    exit 0
  fi
fi
echo "→ La suite relancée sur PostgreSQL ($URL)"
DATABASE_URL="$URL" .venv/bin/pytest -q -p no:cacheprovider "$@"
