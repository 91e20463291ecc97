#!/usr/bin/env bash
# Where libabigail finds no incompatible change in libuvshim built against a
# changed libuv header, uvgen's verdict for the shim flavour agrees: not
# breaking. Each edit is one of libuv's layout-identical changes from its
# history, made to a copy of the system headers.
#
# usage: libabigail_agrees_test.sh SOURCE_DIR UVGEN UV_H EDIT
#   EDIT: io-callback-bits | model-const | uid-signedness | spare-room
set -eu
source_dir=$1 uvgen=$2 uv_h=$3 edit=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in before after; do
  mkdir -p "$work/$side"
  cp "$uv_h" "$work/$side/uv.h"
  cp -r "$(dirname "$uv_h")/uv" "$work/$side/uv"
done

# replace FILE OLD NEW: OLD must occur exactly once.
replace() {
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if text.count(old) != 1:
    sys.exit(f"{path}: expected one '{old}', found {text.count(old)}")
open(path, "w").write(text.replace(old, new))
PY
}
after=$work/after
case $edit in
  io-callback-bits) replace "$after/uv/unix.h" "  uv__io_cb cb;" "  uintptr_t bits;" ;;           # 1.52
  model-const) replace "$after/uv.h" "  char* model;" "  const char* model;" ;;                       # 1.4x
  uid-signedness) replace "$after/uv.h" "  unsigned long uid;" "  long uid;" ;;                        # 1.44, reversed
  spare-room) replace "$after/uv.h" "  uint64_t f_spare[4];" $'  uint64_t f_frsize;\n  uint64_t f_spare[3];' ;;  # 1.52
  *) echo "unknown edit $edit" >&2; exit 2 ;;
esac

for side in before after; do
  gcc -std=gnu11 -O2 -g -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
    -fdebug-prefix-map="$work/$side"=./shim -I"$source_dir/shim" -I"$work/$side" \
    -Wl,-soname,libuvshim.so.2 -Wl,--version-script="$source_dir/shim/uvshim.map" \
    -o "$work/$side/libuvshim.so.2" "$source_dir/shim/uvshim.c" -luv
done

abidiff_status=0
abidiff "$work/before/libuvshim.so.2" "$work/after/libuvshim.so.2" >"$work/abidiff.txt" || abidiff_status=$?
"$uvgen" schema --header "$work/before/uv.h" -o "$work/before.json"
uvgen_status=0
"$uvgen" abi-check --baseline "$work/before.json" --header "$work/after/uv.h" --scope all --flavour shim \
  >"$work/report.txt" || uvgen_status=$?

echo "edit $edit: abidiff status $abidiff_status, uvgen abi-check (shim) status $uvgen_status"
if ((abidiff_status & 8)); then
  echo "libabigail found an incompatible change; this test covers the other direction" >&2
  cat "$work/abidiff.txt" >&2
  exit 1
fi
if ((uvgen_status != 0 && uvgen_status != 4)); then
  echo "uvgen calls a change breaking that libabigail does not:" >&2
  cat "$work/report.txt" >&2
  exit 1
fi
# The edit must be seen: identical headers would make the test pass for nothing.
grep -q "^compatible" "$work/report.txt" || { echo "uvgen saw no change" >&2; cat "$work/report.txt" >&2; exit 1; }
