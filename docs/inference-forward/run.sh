#!/usr/bin/env bash
# Micro-benchmarks behind README "Evaluation time and the inference forward" (run from the repository
# root after ./erasediff has built the project once):
#   ConvLayout      - each convolution shape of the shipped UNet at batch 400, NCHW against NHWC (ms, max diff)
#   SwishOps        - ND4J's swish, sigmoid, tanh, exp and multiply over 5M floats (ms, all cores)
#   VectorSiluSpeed - SiLU with the JDK vector API on one core (ns per value) and its error
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
CP="$(cat samples/target/classpath.txt)"
javac --add-modules jdk.incubator.vector -d "$out" -cp "$CP" docs/inference-forward/*.java 2>/dev/null
for c in ConvLayout SwishOps; do java -cp "$out:$CP" $c 2>&1 | grep -v " INFO \| WARN "; done
java --add-modules jdk.incubator.vector -cp "$out" VectorSiluSpeed 2>&1 | grep -v WARNING
