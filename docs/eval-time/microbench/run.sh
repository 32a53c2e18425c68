#!/usr/bin/env bash
# The microbenchmarks behind the Javadoc figures of PrecisionRecall, KernelInceptionDistance and
# SameDiffClassifier.classify: this release's code against release 84a16e1's, alternating in one process.
# Usage (from the repository root, after ./erasediff has built the project once): docs/eval-time/microbench/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PKG="$WORK/org/erasediff/eval/metrics"
mkdir -p "$PKG"
OLD=84a16e1
git -C "$ROOT" show "$OLD:erasediff-eval/src/main/java/org/erasediff/eval/metrics/PrecisionRecall.java" \
  | sed 's/class PrecisionRecall /class OldPrecisionRecall /; s/private PrecisionRecall()/private OldPrecisionRecall()/' \
  > "$PKG/OldPrecisionRecall.java"
git -C "$ROOT" show "$OLD:erasediff-eval/src/main/java/org/erasediff/eval/metrics/KernelInceptionDistance.java" \
  | sed 's/class KernelInceptionDistance /class OldKernelInceptionDistance /; s/private KernelInceptionDistance()/private OldKernelInceptionDistance()/; s/getLogger(KernelInceptionDistance.class)/getLogger(OldKernelInceptionDistance.class)/' \
  > "$PKG/OldKernelInceptionDistance.java"
cp "$ROOT/docs/eval-time/microbench/AbMetrics.java" "$PKG/"
cp "$ROOT/docs/eval-time/microbench/ClsTime.java" "$WORK/"
CP="$ROOT/samples/target/classes:$(cat "$ROOT/samples/target/classpath.txt")"
javac -cp "$CP" -d "$WORK" "$PKG"/*.java "$WORK/ClsTime.java"
export OMP_WAIT_POLICY=PASSIVE
java -Xmx2g -cp "$WORK:$CP" org.erasediff.eval.metrics.AbMetrics 2>/dev/null | grep '^pr'
java -Xmx2g -cp "$WORK:$CP" ClsTime 2>/dev/null | grep '^pooled'
