#!/usr/bin/env bash
# Spark test: examples/spark/explain_corpus.py in local mode against `lstm-lrp explain` run directly.
#
#   scripts/spark-test.sh
#
# Installs PySpark once into a virtualenv outside the repository (scripts/ci-python.sh), makes a
# corpus of SST sentences and words and one of numeric series, explains each with the Spark job
# (`spark-submit --master 'local[2]'`, several partitions) and with the CLI, and compares the
# outputs byte for byte; then a corpus with a bad line must fail the job with a message naming
# that line and leave no output folder. Needs Java 17+ on PATH and `npm run build:ts` run first.
# Prints one 'ok N - ...' / 'not ok N - ...' line per check, '# ...' lines with the times, and
# closes with 'spark: N passed, N failed'; exits 1 if any failed. LSTM_LRP_SPARK_TEST_KEEP=1
# keeps the temporary folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suite=spark
keep_variable=LSTM_LRP_SPARK_TEST_KEEP
# shellcheck source=scripts/package-checks.sh
source "$root/scripts/package-checks.sh"
started=$SECONDS

pyspark_version=4.0.1
# One spark-submit takes about 10 s here; a hung JVM or pipe must not hold CI.
job_seconds=150
cli=$root/dist/cli/main.js
[ -f "$cli" ] || fail_now "dist/cli/main.js is missing (npm run build:ts)"
command -v java >/dev/null || fail_now "java is not on PATH (Debian: openjdk-17-jre-headless)"

timed() {
  local label=$1 since=$SECONDS
  shift
  check "$label" "$@"
  echo "#   $((SECONDS - since)) s"
}

since=$SECONDS
bin=$("$root/scripts/ci-python.sh" spark "pyspark==$pyspark_version" 2>"$work/logs/pip.log")
installed() { cat "$work/logs/pip.log"; [ -n "$bin" ] && [ -x "$bin/spark-submit" ]; }
check "a virtualenv with pyspark==$pyspark_version (scripts/ci-python.sh)" installed
echo "#   $((SECONDS - since)) s"
[ "$failed" -eq 0 ] || finish
export PYSPARK_PYTHON=$bin/python SPARK_LOCAL_IP=127.0.0.1
unset LSTM_LRP_BACKEND

# spark_job LOG CORPUS OUTPUT [job flags...]: the job in local mode, run from the work folder, with
# the repository's CLI (a later --lstm-lrp wins).
spark_job() {
  local log=$1 corpus=$2 output=$3
  shift 3
  (cd "$work" && timeout "$job_seconds" "$bin/spark-submit" --master 'local[2]' "$root/examples/spark/explain_corpus.py" \
    "$corpus" "$output" --lstm-lrp "node $cli" "$@") >"$log" 2>&1
}
direct() { local output=$1; shift; node "$cli" explain --progress never "$@" >"$output"; }
# same_as_direct OUTPUT DIRECT: the job's parts, in part order, equal the CLI's output byte for byte.
same_as_direct() {
  local lines
  lines=$(wc -l <"$2")
  [ "$lines" -gt 0 ] && [ -f "$1/_SUCCESS" ] && cat "$1"/part-* | cmp - "$2"
}
compared() { echo "#   $(wc -l <"$2") lines in $(find "$1" -name 'part-*' | wc -l) parts"; }

# --- SST sentences and words with the shipped model ------------------------------------------------
sst=$work/sst.jsonl
"$bin/python" "$root/scripts/spark-test/sst-corpus.py" "$root/data/sst/test.txt.gz" 2000 "$sst" || fail_now "making the SST corpus"
echo "# corpus: $(wc -l <"$sst") lines (2000 SST test sentences as text, every tenth also as words, blank lines)"
timed "Spark job on the SST corpus, local[2], 5 partitions" spark_job "$work/logs/sst-job.log" "$sst" "$work/sst-out" --partitions 5
timed "lstm-lrp explain on the same corpus" direct "$work/sst-direct.jsonl" --input "$sst"
check "the job's output equals the CLI's, line for line" same_as_direct "$work/sst-out" "$work/sst-direct.jsonl"
compared "$work/sst-out" "$work/sst-direct.jsonl"

# --- numeric series, with flags passed to lstm-lrp explain ---------------------------------------
series=$work/series.jsonl
for copy in $(seq 1 100); do
  awk -v copy="$copy" '{ sub(/}$/, ",\"id\":\"toy-" copy "-" NR "\"}"); print }' "$root/examples/toy-addition.jsonl"
done >"$series"
toy_flags=(--model "$root/examples/toy-addition.safetensors" --method integrated-gradients --steps 8)
timed "Spark job on {\"x\"} lines with explain flags (--model, --method, --steps), 3 partitions" \
  spark_job "$work/logs/series-job.log" "$series" "$work/series-out" --partitions 3 -- "${toy_flags[@]}"
direct "$work/series-direct.jsonl" --input "$series" "${toy_flags[@]}"
check "the job's output equals the CLI's with the same flags" same_as_direct "$work/series-out" "$work/series-direct.jsonl"
compared "$work/series-out" "$work/series-direct.jsonl"

# --- a bad line ----------------------------------------------------------------------------------
bad=$work/bad.jsonl
{ head -n 1500 "$sst"; echo '{"tokens": []}'; tail -n +1501 "$sst"; } >"$bad"
direct_message=$(node "$cli" explain --input "$bad" 2>&1 >/dev/null | tail -n 1)
# fails_naming_the_line: the job exits non-zero, its last line names corpus line 1501 as the CLI
# does (line 1501: ...), and no output folder is left.
fails_naming_the_line() {
  local log=$work/logs/bad-job.log
  if spark_job "$log" "$bad" "$work/bad-out" --partitions 4; then echo "the job succeeded"; return 1; fi
  local said
  said=$(tail -n 1 "$log")
  echo "job: $said"
  echo "cli: $direct_message"
  [ "${direct_message#lstm-lrp: line 1501: }" != "$direct_message" ] &&
    [[ "$said" == "explain_corpus.py: $bad line 1501: ${direct_message#lstm-lrp: line 1501: } ("* ]] &&
    [ ! -e "$work/bad-out" ]
}
timed "a bad line fails the job with a message naming its corpus line, and leaves no output folder" fails_naming_the_line

# fails_on_missing_results: an lstm-lrp that drops a result yet exits 0 fails the job all the same.
# (Node's stderr stays off sed's stdout: Node makes the pipes it writes non-blocking, and sed then fails on a full one.)
fails_on_missing_results() {
  local log=$work/logs/dropping-job.log
  ! spark_job "$log" "$sst" "$work/dropping-out" --partitions 2 --lstm-lrp "sh -c 'node $cli \"\$@\" 2>/dev/null | sed 1d' lstm-lrp" &&
    tail -n 1 "$log" | grep -Eq "^explain_corpus.py: $sst, partition [01] \(from line [0-9]+\): lstm-lrp explain wrote [0-9]+ results for [0-9]+ inputs$" &&
    [ ! -e "$work/dropping-out" ]
}
timed "an lstm-lrp run that writes fewer results than inputs fails the job" fails_on_missing_results

# refuses_existing_output: an existing output folder is refused and left as it was.
refuses_existing_output() {
  mkdir -p "$work/taken" && echo keep >"$work/taken/file"
  ! spark_job "$work/logs/taken-job.log" "$sst" "$work/taken" &&
    tail -n 1 "$work/logs/taken-job.log" | grep -qx "explain_corpus.py: $work/taken already exists; give a new folder" &&
    [ "$(cat "$work/taken/file")" = keep ]
}
check "an existing output folder is refused and left untouched" refuses_existing_output
# refuses_output_flag: flags that would break one result per line are the job's own.
refuses_output_flag() {
  ! spark_job "$work/logs/flag-job.log" "$sst" "$work/flag-out" -- --format html &&
    grep -q -- "--format is set by the job" "$work/logs/flag-job.log" && [ ! -e "$work/flag-out" ]
}
check "an explain flag the job sets itself (--format) is refused" refuses_output_flag

echo "# spark test: $((SECONDS - started)) s"
finish
