#!/usr/bin/env bash
# #16, quiet machine: old release (eefbfa8), the commit before the pool fix (c610c20), this release, and this
# release with the prediction pool handing same-shape arrays back as themselves (/work/wt-fix); ABCDDCBA
set -u
O=/work/main/runs/ab16b
cd /work/main
GEN="--samplers dpm-solver++:15 --gen-images 400 --gen-batches 200"
old() { (cd /work/wt-old && ./erasediff bench --skip-fit --reps 20 --json > $O/old-$1.json 2> $O/old-$1.log); }
pre() { (cd /work/wt-pre && ./erasediff bench --skip-fit --reps 20 $GEN --json > $O/pre-$1.json 2> $O/pre-$1.log); }
new() { runs/frozen.sh bench --skip-fit --reps 20 $GEN --json > $O/new-$1.json 2> $O/new-$1.log; }
fix() { (cd /work/wt-fix && ./erasediff bench --skip-fit --reps 20 $GEN --json > $O/fix-$1.json 2> $O/fix-$1.log); }
old 1; pre 1; new 1; fix 1; fix 2; new 2; pre 2; old 2
echo "done $(date)" > $O/finished
