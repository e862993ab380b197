#!/bin/sh
# Time `build --pdf` of the example site (this repository's content/),
# ROUNDS rounds alternating between two binaries, and print each run, the
# medians and the median of the new/old ratios taken round by round (what
# to compare on a machine whose speed drifts).
#
#   bench/pdf.sh OLD_BINARY [NEW_BINARY] [ROUNDS]
#
# NEW_BINARY defaults to target/release/g40site, ROUNDS to 7. One untimed
# warm-up run of each comes first; the order alternates every round (old
# first, then new first, ...) so that a drift in the machine's speed
# falls on both. Each run writes into a fresh folder under a temp folder
# that is removed at the end. Run it from the repository's root. An older
# binary, e.g. from main:
#
#   git worktree add /tmp/g40-old main
#   cargo build --release --manifest-path /tmp/g40-old/Cargo.toml
#   bench/pdf.sh /tmp/g40-old/target/release/g40site
set -eu

old=${1:?usage: bench/pdf.sh OLD_BINARY [NEW_BINARY] [ROUNDS]}
new=${2:-target/release/g40site}
rounds=${3:-7}
[ -f site.yaml ] || { echo "run from the repository's root (site.yaml)" >&2; exit 2; }
for bin in "$old" "$new"; do
    [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# One build; prints its wall time in seconds.
run() {
    out="$work/out-$2"
    start=$(date +%s.%N)
    if ! "$1" build --pdf --quiet --output "$out" >"$work/log" 2>&1; then
        cat "$work/log" >&2
        echo "build --pdf failed with $1" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    rm -rf "$out"
    echo "$start $end" | awk '{ printf "%.2f\n", $2 - $1 }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

run "$old" warm-old >/dev/null
run "$new" warm-new >/dev/null
: >"$work/old" && : >"$work/new" && : >"$work/ratio"
i=1
while [ "$i" -le "$rounds" ]; do
    if [ $((i % 2)) -eq 1 ]; then
        a=$(run "$old" "$i-old") && b=$(run "$new" "$i-new")
    else
        b=$(run "$new" "$i-new") && a=$(run "$old" "$i-old")
    fi
    echo "$a" >>"$work/old" && echo "$b" >>"$work/new"
    echo "$b $a" | awk '{ printf "%.3f\n", $1 / $2 }' >>"$work/ratio"
    echo "round $i: old $a s, new $b s" | sed 's/^/  /'
    i=$((i + 1))
done
mo=$(median <"$work/old")
mn=$(median <"$work/new")
echo "build --pdf of the example site, $rounds rounds, medians:"
echo "  old ($old): $mo s"
echo "  new ($new): $mn s"
echo "  new/old, pair by pair: $(median <"$work/ratio")"
