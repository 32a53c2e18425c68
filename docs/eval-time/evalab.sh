#!/usr/bin/env bash
# usage: FINISHED_RUN=<run folder> evalab.sh NAME TREE STEPS   (EVAL_SOLVER=ddim for DDIM)
# Times the evaluation alone: resumes a copy of a finished `unlearn --forget-class 0` run with an empty
# sample cache, using the checkout in TREE (this release or another one's worktree).
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: FINISHED_RUN=<run folder> $0 NAME TREE STEPS" >&2; exit 2; fi
name=$1; tree=$2; steps=$3
d=$(realpath -m "${AB_DIR:-runs/eval-ab}/$name")
rm -rf $d; mkdir -p $d; cp -r ${FINISHED_RUN:?set FINISHED_RUN to a finished unlearn --forget-class 0 run folder} $d/run; rm -rf $d/run/report
cd $tree
/usr/bin/time -v ./erasediff unlearn --forget-class 0 --output $d/run --cache $d/cache --resume --eval-steps $steps ${EVAL_SOLVER:+--eval-solver $EVAL_SOLVER} --json > $d/out.json 2> $d/log.txt
python3 - "$d" <<'PY'
import json,sys,re
d=sys.argv[1]; j=json.loads(open(d+'/out.json').read().strip().splitlines()[-1])
log=open(d+'/log.txt').read()
rss=re.search(r'Maximum resident set size \(kbytes\): (\d+)',log).group(1)
samp=re.findall(r'(\d\d:\d\d:\d\d) INFO  SampleGenerator - sampling 1400 images (\d+)/\2 \(100.0%\) \S+ s/it, elapsed (\S+)',log)
print(d.split('/')[-1], 'eval_seconds %.1f'%j['eval_seconds'], 'sampling', [s[2] for s in samp], 'peak_rss_mb', int(rss)//1024, 'after', {k:round(v,4) for k,v in j['after'].items() if k in ('p_forget','entropy_forget','p_forget_sa','accuracy_remain','fid_remain','kid_remain')})
PY
