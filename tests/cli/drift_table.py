"""Makes a localization table from a simulated truth CSV and its stage-drift CSV: each molecule at
its true position plus the stage drift of its frame plus Gaussian localization noise (sigma_xy,
sigma_z nm), as a localizer would report it. Usage: drift_table.py TRUTH STAGE OUT [SXY SZ]."""
import csv
import random
import sys

truth, stage, out = sys.argv[1:4]
sigma_xy = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
sigma_z = float(sys.argv[5]) if len(sys.argv) > 5 else 25.0
random.seed(1)
drift = {}
with open(stage) as f:
    rows = csv.reader(f)
    next(rows)
    for row in rows:
        drift[int(row[0])] = [float(v) for v in row[1:4]]
with open(truth) as f, open(out, "w") as o:
    rows = csv.reader(f)
    header = next(rows)
    o.write(",".join('"%s"' % c for c in header) + "\n")
    for row in rows:
        d = drift[int(row[1])]
        for axis, sigma in ((0, sigma_xy), (1, sigma_xy), (2, sigma_z)):
            row[2 + axis] = "%.3f" % (float(row[2 + axis]) + d[axis] + random.gauss(0.0, sigma))
        o.write(",".join(row) + "\n")
