# The sitting of README "Evaluation time and the inference forward": /work/wt-prev is a worktree of 9cfc0ca
# (the previous release, built there with mvn package); runs/s10/base a finished `unlearn --forget-class 0`
# run of this release. Each line of results.txt is one docs/eval-time/evalab.sh run, in this order.
set -e
cd /work/main
export FINISHED_RUN=runs/s10/base AB_DIR=runs/s10/ab
for spec in "1-this-18 /work/main 18" "2-prev-15 /work/wt-prev 15" "3-this-15 /work/main 15" "4-prev-15 /work/wt-prev 15" "5-this-18 /work/main 18"; do
  set -- $spec
  bash docs/eval-time/evalab.sh $1 $2 $3 >> runs/s10/ab/results.txt
done
