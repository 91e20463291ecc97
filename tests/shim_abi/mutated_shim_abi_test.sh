#!/usr/bin/env bash
# Builds a copy of the committed shim, changed by one mutation, the way the
# project builds libuvshim, and checks the ABI check's verdict on it.
#
# usage: mutated_shim_abi_test.sh SOURCE_DIR MUTATION EXPECTED
#   MUTATION: unchanged | widened-parameter | removed-function | reordered-buffer | stripped
#   EXPECTED: pass | fail
set -eu
source_dir=$1 mutation=$2 expected=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$source_dir"/shim/uvshim.h "$source_dir"/shim/uvshim.c "$source_dir"/shim/uvshim.map "$work"/
cd "$work"

case $mutation in
  unchanged) ;;
  widened-parameter)  # int32_t -> int64_t in one parameter
    sed -i 's/uvshim_tcp_nodelay(uvshim_tcp_t \*handle, int32_t enable)/uvshim_tcp_nodelay(uvshim_tcp_t *handle, int64_t enable)/' uvshim.h uvshim.c
    grep -q 'int64_t enable' uvshim.h ;;
  removed-function)
    sed -i '/uvshim_pipe_chmod;/d' uvshim.map
    ! grep -q uvshim_pipe_chmod uvshim.map ;;
  reordered-buffer)  # len before base; the static assertions that would stop the build go too
    sed -i -e '/typedef struct uvshim_buf_s {/,/} uvshim_buf_t;/{s/  char \*base;/  SWAP_A/;s/  size_t len;/  char *base;/;s/  SWAP_A/  size_t len;/}' uvshim.h
    sed -i '/uvshim_buf_t\.base\|uvshim_buf_t\.len/d' uvshim.c
    grep -A2 'typedef struct uvshim_buf_s' uvshim.h | sed -n 2p | grep -q 'size_t len' ;;
  stripped) ;;
  *) echo "unknown mutation $mutation" >&2; exit 2 ;;
esac

gcc -std=gnu11 -O2 -g -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
  -fdebug-prefix-map="$work"=./shim -I. -Wl,-soname,libuvshim.so.2 -Wl,--version-script=uvshim.map \
  -o libuvshim.so.2 uvshim.c -luv
if [[ $mutation == stripped ]]; then
  strip --strip-debug libuvshim.so.2
fi

if "$source_dir"/scripts/check-shim-abi "$source_dir"/schema/baseline/libuvshim.abi libuvshim.so.2; then
  verdict=pass
else
  verdict=fail
fi
echo "mutation $mutation: the ABI check says $verdict (expected $expected)"
[[ $verdict == "$expected" ]]
