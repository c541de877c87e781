"""Compares an estimated plane drift (mumloc localize --drift-out) with the simulated one (mumloc
simulate --drift-file): RMS error of dx and dy over planes 2..k and the frames both hold, the mean
reported uncertainty, and the RMS of error / uncertainty (about 1 when the bounds are right).
Usage: plane_drift_error.py TRUE.csv ESTIMATED.csv. Prints "rms_nm mean_sigma_nm z_rms frames"."""
import csv
import math
import sys


def read(path):
    with open(path) as f:
        rows = csv.reader(f)
        header = next(rows)
        return header, [[float(v) for v in row] for row in rows]


_, truth = read(sys.argv[1])
_, est = read(sys.argv[2])
true = {(int(r[0]), int(r[1])): (r[2], r[3]) for r in truth}
sq, sig, z2, n, frames = 0.0, 0.0, 0.0, 0, set()
for r in est:
    frame, plane = int(r[0]), int(r[1])
    if plane == 1 or (frame, plane) not in true:
        continue
    frames.add(frame)
    for axis in (0, 1):
        e = r[2 + axis] - true[(frame, plane)][axis]
        s = r[4 + axis]
        sq += e * e
        sig += s
        z2 += (e / s) ** 2 if s > 0 and math.isfinite(s) else 0.0
        n += 1
if n == 0:
    sys.exit("no common frames and planes 2..k")
print("%.3f %.3f %.3f %d" % (math.sqrt(sq / n), sig / n, math.sqrt(z2 / n), len(frames)))
