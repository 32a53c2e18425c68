#!/usr/bin/env bash
# Old release vs this one, interleaved, on a quiet machine. Run from the repository root with OLD set to a
# built checkout of the release to compare with (here eefbfa8):  OLD=../erasediff-eefbfa8 docs/bench-16/bench16.sh
# (these results were produced with the build frozen in a copy, so that other work could rebuild the tree)
set -u
O=docs/bench-16
./erasediff bench --skip-fit --json > $O/new-full.json 2> $O/new-full.log
for i in 1 2; do
  (cd "$OLD" && ./erasediff bench --skip-fit --json) > $O/old-$i.json 2> $O/old-$i.log
  ./erasediff bench --skip-fit --skip-generation --json > $O/new-$i.json 2> $O/new-$i.log
done
