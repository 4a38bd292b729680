#!/usr/bin/env bash
# Affiche le chemin d'un interpréteur Python >= 3.12 (Django 6 l'exige).
# Cherche dans le PATH, puis dans pyenv, puis demande à uv d'en installer un (machine avec internet).
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for cand in "${PYTHON:-}" python3.13 python3.12 python3; do
  [ -n "$cand" ] || continue
  p=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in "$root"/versions/3.12*/bin/python3 "$root"/versions/3.13*/bin/python3 /usr/local/bin/python3.12 /usr/bin/python3.12; do
  if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
done
if command -v uv >/dev/null 2>&1 && uv python install 3.12 >/dev/null 2>&1; then
  uv python find 3.12 && exit 0
fi
echo "Erreur : aucun Python >= 3.12 trouvé. Installez Python 3.12 (ou indiquez-le : make install PYTHON=/chemin/python3.12)." >&2
exit 1
