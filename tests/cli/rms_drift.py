"""RMS difference per axis (dx, dy, dz) between two drift CSVs of the same frames, after removing
the mean difference (the constant offset is the user's choice of origin). Prints "X Y Z"."""
import csv
import math
import sys


def read(path):
    with open(path) as f:
        rows = csv.reader(f)
        next(rows)
        return [[float(v) for v in row] for row in rows]


a, b = read(sys.argv[1]), read(sys.argv[2])
assert len(a) == len(b), "different frame counts: %d vs %d" % (len(a), len(b))
out = []
for axis in (1, 2, 3):
    diff = [p[axis] - q[axis] for p, q in zip(a, b)]
    mean = sum(diff) / len(diff)
    out.append("%.3f" % math.sqrt(sum((v - mean) ** 2 for v in diff) / len(diff)))
print(" ".join(out))
