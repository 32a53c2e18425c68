#!/usr/bin/env bash
# #16: old release (eefbfa8, /work/wt-old) vs this release, interleaved, on a quiet machine
set -u
O=/work/main/runs/bench16
cd /work/main
runs/frozen.sh bench --skip-fit --json > $O/new-full.json 2> $O/new-full.log
for i in 1 2; do
  (cd /work/wt-old && ./erasediff bench --skip-fit --json > $O/old-$i.json 2> $O/old-$i.log)
  runs/frozen.sh bench --skip-fit --skip-generation --json > $O/new-$i.json 2> $O/new-$i.log
done
echo done > $O/finished
