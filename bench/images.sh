#!/usr/bin/env bash
# bench/images.sh [BINARY] [COUNT]: the cost of photos, and what the cache saves.
#
# Writes a site with COUNT (default 100) generated photos of 2400 x 1600
# pixels (examples/gen_photo.rs), ten to a page, and times with BINARY
# (default target/release/g40site), each in the site folder:
#   1. the first build: every photo resized to 480, 960 and 1600 pixels
#      (an empty .g40site-cache/);
#   2. the second build: the copies read back from the cache;
#   3. the same photos published but shown on no page (copied as they
#      are, nothing resized), and
#   4. the same pages without the photos, for comparison.
# Prints the wall time of each and the build summary's "Images:" line,
# which counts the copies resized and read from the cache.
# Deterministic input; timings from a shared machine are noisy.
# PHOTOS=DIR bench/images.sh reuses the photos of an earlier run.
set -euo pipefail
BIN=$(realpath "${1:-target/release/g40site}")
N=${2:-100}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/g40site-images-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# PHOTOS=DIR reuses photos made before (generating takes minutes).
if [[ -n ${PHOTOS:-} ]]; then
  ln -s "$(realpath "$PHOTOS")" "$WORK/photos"
else
  echo "generating $N photos (a few minutes) ..."
  (cd "$REPO" && nice -n 10 cargo build -q --example gen_photo)
  "$REPO/target/debug/examples/gen_photo" "$WORK/photos" "$N"
fi

make_site() { # make_site DIR yes|files|no
  local dir=$1 images=$2
  mkdir -p "$dir/content/fotos"
  printf 'title: Fotobank\nbase_url: https://example.nl\n' >"$dir/site.yaml"
  printf -- '---\ntitle: Start\n---\nDe foto'"'"'s staan onder [fotos](fotos/_index.md).\n' >"$dir/content/_index.md"
  printf -- '---\ntitle: Fotos\n---\nAlle reeksen.\n' >"$dir/content/fotos/_index.md"
  local page=0 i
  for ((i = 1; i <= N; i++)); do
    if (((i - 1) % 10 == 0)); then
      page=$((page + 1))
      printf -- '---\ntitle: Reeks %d\n---\nTien foto'"'"'s.\n\n' "$page" >"$dir/content/fotos/reeks-$page.md"
    fi
    local name
    name=$(printf 'foto-%03d.jpg' "$i")
    if [[ $images == yes ]]; then
      cp "$WORK/photos/$name" "$dir/content/fotos/"
      printf '![Foto %d, een stadsgezicht](%s)\n\n' "$i" "$name" >>"$dir/content/fotos/reeks-$page.md"
    elif [[ $images == files ]]; then
      cp "$WORK/photos/$name" "$dir/content/fotos/"
      printf 'Foto %d, een stadsgezicht.\n\n' "$i" >>"$dir/content/fotos/reeks-$page.md"
    else
      printf 'Foto %d, een stadsgezicht.\n\n' "$i" >>"$dir/content/fotos/reeks-$page.md"
    fi
  done
}

timed_build() { # timed_build DIR LABEL
  local start end
  start=$(date +%s.%N)
  (cd "$1" && "$BIN" build --output output --force 2>"$WORK/log")
  end=$(date +%s.%N)
  printf '%-32s %6.2f s   %s\n' "$2" "$(echo "$end - $start" | bc)" \
    "$(grep '^Images:' "$WORK/log" || echo 'Images: none')"
}

make_site "$WORK/with" yes
make_site "$WORK/files" files
make_site "$WORK/without" no
sync
timed_build "$WORK/with" "first build ($N photos)"
timed_build "$WORK/with" "second build (cache)"
timed_build "$WORK/with" "third build (cache)"
timed_build "$WORK/files" "photos published, not shown"
timed_build "$WORK/without" "the same pages, no photos"
echo "cache: $(du -sh "$WORK/with/.g40site-cache" | cut -f1), $(ls "$WORK/with/.g40site-cache/images" | wc -l) files"
