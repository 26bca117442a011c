"""The floor of an import: read and parse the same file in plain Python, store nothing.

python bench/floor_parse.py FILE.jsonl|FILE.csv
"""

import csv
import json
import sys

path = sys.argv[1]
with open(path, encoding="utf-8", newline="") as fh:
    if path.endswith(".jsonl"):
        rows = [json.loads(line) for line in fh if line.strip()]
    else:
        rows = list(csv.reader(fh))
print(len(rows))
