#!/usr/bin/env bash
# The gettext catalogs of the interface (Babel).
#   bash scripts/i18n.sh            extract + update + compile (after editing code)
#   bash scripts/i18n.sh extract    liaison_cli/locale/liaison.pot from _() and N_()
#   bash scripts/i18n.sh update     merge the .pot into every language's .po
#   bash scripts/i18n.sh compile    .po -> .mo (shipped in the wheel; CI runs this)
#   bash scripts/i18n.sh check      fail if a string is untranslated or the .mo is stale
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALES=liaison_cli/locale
POT=$LOCALES/liaison.pot
LANGS=(zh)
STAMP='"POT-Creation-Date: 2026-11-22 00:00+0000\\n"'

extract() {
  pybabel -q extract -F babel.cfg -k _ -k N_ -k C_:1c,2 -k NC_:1c,2 --add-location=file --sort-output \
    --project=liaison --copyright-holder="liaison contributors" \
    --msgid-bugs-address="" -o "$POT" liaison_cli
  # a fixed creation date: the .pot, .po and the compiled .mo change only with
  # their messages, not with each run
  sed -i "s/^\"POT-Creation-Date: .*/$STAMP/" "$POT"
}

update() {
  for lang in "${LANGS[@]}"; do
    po=$LOCALES/$lang/LC_MESSAGES/liaison.po
    if [ -f "$po" ]; then
      pybabel -q update -D liaison -i "$POT" -d "$LOCALES" -l "$lang" \
        --no-fuzzy-matching --ignore-obsolete
    else
      pybabel -q init -D liaison -i "$POT" -d "$LOCALES" -l "$lang"
    fi
    sed -i "s/^\"POT-Creation-Date: .*/$STAMP/" "$po"
  done
}

compile() {
  for lang in "${LANGS[@]}"; do
    pybabel -q compile -D liaison -d "$LOCALES" -l "$lang" --statistics
  done
}

check() {
  python - <<'PY'
import sys
from pathlib import Path
from babel.messages.pofile import read_po
from babel.messages.mofile import read_mo
root = Path("liaison_cli/locale")
bad = 0
for po_path in sorted(root.glob("*/LC_MESSAGES/liaison.po")):
    with po_path.open("rb") as f:
        po = read_po(f)
    untranslated = [m.id for m in po if m.id and (not m.string or m.fuzzy)]
    for mid in untranslated:
        print(f"{po_path}: untranslated: {mid!r}")
    bad += len(untranslated)
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        print(f"{mo_path}: missing; run scripts/i18n.sh compile")
        bad += 1
        continue
    with mo_path.open("rb") as f:
        mo = read_mo(f)
    want = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}
    have = {m.id: m.string for m in mo if m.id}
    if want != have:
        print(f"{mo_path}: out of date with {po_path.name}; run scripts/i18n.sh compile")
        bad += 1
sys.exit(1 if bad else 0)
PY
}

case "${1:-all}" in
  extract) extract ;;
  update) update ;;
  compile) compile ;;
  check) check ;;
  all) extract; update; compile ;;
  *) echo "usage: $0 [extract|update|compile|check|all]" >&2; exit 2 ;;
esac
