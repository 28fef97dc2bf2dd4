"""Explains a JSON-lines corpus on Apache Spark: every partition is piped through `lstm-lrp explain`.

    spark-submit explain_corpus.py CORPUS OUTPUT [--partitions N] [--lstm-lrp COMMAND]
                                   [--env NAME=VALUE ...] [-- EXPLAIN_FLAGS ...]

CORPUS holds lines {"text": ...}, {"tokens": [...]} or {"x": [[...]]} (optional "id", "target");
OUTPUT is a new folder of part-00000, part-00001, ... files whose lines, read in part order, are
exactly what `lstm-lrp explain EXPLAIN_FLAGS --input CORPUS` prints: one line per non-blank corpus
line, in the corpus's order. A bad line fails the job with a message naming its corpus line, and
leaves no OUTPUT folder. See README.md beside this file.
"""
import argparse
import math
import os
import re
import shlex
import sys

from py4j.protocol import Py4JJavaError
from pyspark import SparkContext, StorageLevel
from pyspark.errors import PySparkRuntimeError

# Flags the job sets itself, or that would break "one result line per input line".
RESERVED_FLAGS = ("--input", "--input-format", "--text", "--tokens", "--output", "--format", "--progress")
# What JavaScript's String.prototype.trim removes: lstm-lrp skips a line that is only these.
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# RDD.pipe runs its command in exactly this environment (an empty one by default).
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL")
# lstm-lrp numbers the lines of its stdin: in a partition, line K is the partition's K-th line.
LINE_MESSAGE = re.compile(r"^lstm-lrp: line (\d+): (.*)$")


class JobFailed(Exception):
    """A failure the job explains in one line (no stack trace)."""


class PartitionFailed(Exception):
    """Raised in a task; the driver finds its message in Spark's report of the failed job."""


def parse_arguments(argv):
    own, explain_flags = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(
        prog="explain_corpus.py",
        description="Explain every line of a JSON-lines corpus with lstm-lrp explain, one partition per process.",
        epilog="Flags after -- go to lstm-lrp explain, e.g. -- --model model.safetensors --method occlusion.",
    )
    parser.add_argument("corpus", help="JSON lines (a file, folder or glob Spark's textFile reads; .gz too)")
    parser.add_argument("output", help="a folder that does not exist yet")
    parser.add_argument("--partitions", type=int, help="partitions, one lstm-lrp process each (default: Spark's default parallelism)")
    parser.add_argument("--lstm-lrp", default="npx lstm-lrp", help="how executors run lstm-lrp (default: %(default)s)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="an environment variable for lstm-lrp (repeatable)")
    args = parser.parse_args(own)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    for flag in explain_flags:
        if flag.split("=", 1)[0] in RESERVED_FLAGS:
            parser.error(f"{flag.split('=', 1)[0]} is set by the job (stdin in, JSON lines out); leave it out")
    for assignment in args.env:
        if "=" not in assignment:
            parser.error(f"--env takes NAME=VALUE; got '{assignment}'")
    args.explain_flags = explain_flags
    return args


def pipe_command(lstm_lrp, explain_flags):
    """`lstm-lrp explain` reading JSON lines on stdin, its stderr joined to stdout by a shell: RDD.pipe
    reads only stdout, and the message naming a bad line must reach the job."""
    explain = [*shlex.split(lstm_lrp), "explain", "--input-format", "jsonl", "--progress", "never", *explain_flags]
    return shlex.join(["sh", "-c", 'exec "$@" 2>&1', "lstm-lrp", *explain])


def pipe_environment(assignments):
    environment = {name: value for name, value in os.environ.items() if name in PASSED_ENVIRONMENT or name.startswith("LSTM_LRP_")}
    environment.update(assignment.split("=", 1) for assignment in assignments)
    return environment


def is_blank(line):
    return line.strip(JS_WHITESPACE) == ""


def failure_message(corpus, partition, first_line, messages, exit_code):
    """Names the corpus line when lstm-lrp named a line of the partition's stdin."""
    for message in messages:
        found = LINE_MESSAGE.match(message)
        if found:
            line = first_line + int(found.group(1)) - 1
            return f"{corpus} line {line}: {found.group(2)} (line {found.group(1)} of partition {partition}; lstm-lrp explain exited with code {exit_code})"
    said = " | ".join(messages) if messages else "nothing"
    return f"{corpus}, partition {partition} (from line {first_line}): lstm-lrp explain exited with code {exit_code} and said: {said}"


def checked_results(corpus, layout):
    """Passes on lstm-lrp's result lines (JSON objects); anything else it printed is a message.
    A failed run, or a count of results other than the partition's inputs, fails the task."""

    def check(partition, lines):
        first_line, inputs = layout[partition]
        results = 0
        messages = []
        try:
            for line in lines:
                if line.startswith('{"'):
                    results += 1
                    yield line
                else:
                    messages.append(line)
        except PySparkRuntimeError as error:
            if error.getCondition() != "PIPE_FUNCTION_EXITED":
                raise
            exit_code = error.getMessageParameters()["error_code"]
            raise PartitionFailed(failure_message(corpus, partition, first_line, messages, exit_code)) from None
        for message in messages:
            print(f"partition {partition}: {message}", file=sys.stderr)
        if results != inputs:
            raise PartitionFailed(f"{corpus}, partition {partition} (from line {first_line}): lstm-lrp explain wrote {results} results for {inputs} inputs")

    return check


def reported_failure(error):
    """The PartitionFailed message inside Spark's report of a failed job, or the Java exception's own."""
    found = re.search(r"PartitionFailed: (.*)", str(error))
    return found.group(1) if found else str(error.java_exception).splitlines()[0]


def explain_corpus(sc, args):
    jvm = sc._jvm
    output = jvm.org.apache.hadoop.fs.Path(args.output)
    filesystem = output.getFileSystem(sc._jsc.hadoopConfiguration())
    if filesystem.exists(output):
        raise JobFailed(f"{args.output} already exists; give a new folder")
    corpus = jvm.org.apache.hadoop.fs.Path(args.corpus)
    if not corpus.getFileSystem(sc._jsc.hadoopConfiguration()).globStatus(corpus):
        raise JobFailed(f"no corpus at {args.corpus}")

    # Line numbers make the order explicit: partition p holds lines [p * chunk, (p + 1) * chunk),
    # sorted, RDD.pipe keeps each partition's order, and saveAsTextFile writes partition p to part p.
    numbered = sc.textFile(args.corpus).zipWithIndex().map(lambda pair: (pair[1], pair[0])).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        total = numbered.count()
        chunk = max(1, math.ceil(total / (args.partitions or sc.defaultParallelism)))
        partitions = max(1, math.ceil(total / chunk))
        inputs = numbered.filter(lambda pair: not is_blank(pair[1])).map(lambda pair: pair[0] // chunk).countByValue()
        layout = [(p * chunk + 1, inputs.get(p, 0)) for p in range(partitions)]
        ordered = numbered.repartitionAndSortWithinPartitions(partitions, partitionFunc=lambda index: index // chunk).values()
        results = ordered.pipe(pipe_command(args.lstm_lrp, args.explain_flags), env=pipe_environment(args.env), checkCode=True)
        results.mapPartitionsWithIndex(checked_results(args.corpus, layout)).saveAsTextFile(args.output)
        return sum(count for _, count in layout), partitions
    except Py4JJavaError as error:
        # The folder did not exist before the job: what is there now is a failed job's.
        if filesystem.exists(output):
            filesystem.delete(output, True)
        raise JobFailed(reported_failure(error)) from None
    finally:
        numbered.unpersist()


def main(argv):
    args = parse_arguments(argv)
    sc = SparkContext(appName="lstm-lrp explain corpus")
    sc.setLogLevel("ERROR")
    try:
        explained, partitions = explain_corpus(sc, args)
        outcome = f"explained {explained} inputs in {partitions} partitions into {args.output}"
    except JobFailed as error:
        outcome = f"explain_corpus.py: {error}"
    finally:
        # Spark logs while it stops: the outcome comes after, as the last line.
        sc.stop()
    print(outcome, file=sys.stderr)
    return 0 if outcome.startswith("explained ") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
