"""Writes a JSON-lines corpus from the first N trees of an SST file: each sentence as {"text", "id"},
every tenth also as its words ({"tokens", "id"}), and a blank line every 500 sentences.

    python sst-corpus.py data/sst/test.txt.gz N OUT.jsonl
"""
import gzip
import json
import re
import sys

# A leaf of a PTB tree: "(label word)".
LEAF = re.compile(r"\(\d ([^()\s]+)\)")

source, count, destination = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with gzip.open(source, "rt", encoding="utf-8") as trees:
    sentences = [LEAF.findall(next(trees)) for _ in range(count)]
with open(destination, "w", encoding="utf-8") as corpus:
    for n, words in enumerate(sentences):
        corpus.write(json.dumps({"text": " ".join(words), "id": f"sst-{n}"}, ensure_ascii=False) + "\n")
        if n % 10 == 0:
            corpus.write(json.dumps({"tokens": words, "id": f"words-{n}"}, ensure_ascii=False) + "\n")
        if n % 500 == 499:
            corpus.write("\n")
