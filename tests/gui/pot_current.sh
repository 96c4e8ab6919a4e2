#!/bin/sh
# pot_current.sh: fails if assets/locale/tcpsim.pot is not what xgettext extracts from the front
# end's sources now (a string was added or changed without `ninja gui-pot`), so that ko.po's
# completeness test (gui_i18n) checks every string. Args: XGETTEXT POT RENDER_DIR.
set -eu

xgettext=$1 pot=$2 render=$3
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$xgettext" --from-code=UTF-8 --language=C --keyword= --keyword=TR:2 --keyword=N_ --no-location \
    --no-wrap --sort-output --omit-header -o "$tmp" "$render"/explain.c "$render"/gui*.c
# Compare the entries, leaving out the .pot's header (everything up to its first blank line).
if ! awk 'body; /^$/ { body = 1 }' "$pot" | diff -u "$tmp" - ; then
    echo "tcpsim.pot is out of date: run ninja -C build gui-pot and translate the new strings in ko.po"
    exit 1
fi
echo "1 passed, 0 failed"
