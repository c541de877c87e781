# `mumloc evaluate` on hand-made tables with known answers, and on the simulator's own truth (against
# itself: perfect; against a copy with known offsets: bias = offset). JSON is parsed with python3.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

# Frame 1: T1-L1 (+10, -10, +20) and T2-L2 (0, +30, -20) pair; frame 2: T3 misses (FN) and L3 is far
# (FP); frame 3 only has L4 (FP); frame 4 only has T4 (FN). TP 2, FP 2, FN 2.
cat >truth.csv <<'CSV'
"id","frame","x [nm]","y [nm]","z [nm]"
1,1,1000,1000,500
2,1,2000,2000,900
3,2,500,500,100
4,4,100,100,1100
CSV
cat >locs.csv <<'CSV'
"id","frame","x [nm]","y [nm]","z [nm]","uncertainty_xy [nm]","uncertainty_z [nm]"
1,1,2000,2030,880,7,25
2,1,1010,990,520,5,15
3,2,3000,3000,300,100,100
4,3,0,0,700,100,100
CSV

"$MUMLOC" evaluate --truth truth.csv --in locs.csv --json --out metrics.json >stdout.json
python3 - stdout.json metrics.json <<'PY' || fail "JSON report of the hand-made tables"
import json, math, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a == b, "stdout and --out differ"
o = a["overall"]
assert (o["tp"], o["fp"], o["fn"]) == (2, 2, 2), o
assert abs(o["jaccard"] - 2 / 6) < 1e-12 and o["recall"] == 0.5 and o["precision"] == 0.5
assert abs(o["rmse_xy_nm"] - math.sqrt(550)) < 1e-9 and abs(o["rmse_z_nm"] - 20) < 1e-9
assert abs(o["bias_x_nm"] - 5) < 1e-9 and abs(o["bias_y_nm"] - 10) < 1e-9 and abs(o["bias_z_nm"]) < 1e-9
assert o["crlb_xy_median_nm"] == 6 and o["crlb_z_median_nm"] == 20
assert a["tolerance"] == {"mode": "3d", "nm": 150} and a["bin_nm"] == 200
bins = a["bins"]
assert [(x["z_min_nm"], x["tp"], x["fp"], x["fn"]) for x in bins] == [
    (0, 0, 0, 1), (200, 0, 1, 0), (400, 1, 0, 0), (600, 0, 1, 0), (800, 1, 0, 0), (1000, 0, 0, 1)], bins
assert bins[3]["recall"] is None
PY

# Text report: the same numbers, readable.
"$MUMLOC" evaluate --truth truth.csv --in locs.csv >report.txt
grep -q '^TP 2, FP 2, FN 2$' report.txt || fail "text report: $(cat report.txt)"
grep -q 'median CRLB lateral 6 nm, axial 20 nm' report.txt || fail "text report CRLB: $(cat report.txt)"

# Separate tolerances: 25 nm laterally drops the pair 30 nm apart; 400 nm bins regroup the truths.
"$MUMLOC" evaluate --truth truth.csv --in locs.csv --tolerance-xy 25 --tolerance-z 50 --bin 400 --json |
  python3 -c '
import json, sys
r = json.load(sys.stdin); o = r["overall"]
assert (o["tp"], o["fp"], o["fn"]) == (1, 3, 3), o
assert r["tolerance"] == {"mode": "lateral_axial", "xy_nm": 25, "z_nm": 50}, r["tolerance"]
assert [b["z_min_nm"] for b in r["bins"]] == [0, 400, 800], r["bins"]
' || fail "separate tolerances"

# Tolerance edge: 90^2 + 120^2 = 150^2, so exactly 150 nm matches and 149.99 does not.
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,0,0\n' >edge-truth.csv
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,90,120,0\n' >edge-locs.csv
tp() { "$MUMLOC" evaluate --truth edge-truth.csv --in edge-locs.csv --json "$@" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["overall"]["tp"])'; }
[ "$(tp --tolerance 150)" = 1 ] || fail "a pair exactly at the tolerance must match"
[ "$(tp --tolerance 149.99)" = 0 ] || fail "a pair beyond the tolerance must not match"

# Tables in px are converted with --pixel-size (x 0.5 px = 50 nm at 100 nm per pixel).
printf '"frame","x [px]","y [px]","z [nm]"\n1,0.9,1.2,0\n' >px-locs.csv
[ "$("$MUMLOC" evaluate --truth edge-truth.csv --in px-locs.csv --pixel-size 100 --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["overall"]["tp"])')" = 1 ] ||
  fail "px table with --pixel-size"

# The simulator's truth against itself, and against a copy shifted by (+12, -7, +30) nm.
small_movie sim --frames 10 --molecules 8
"$MUMLOC" evaluate --truth sim.csv --in sim.csv --json | python3 -c '
import json, sys
o = json.load(sys.stdin)["overall"]
assert o["tp"] == 80 and o["fp"] == 0 and o["fn"] == 0 and o["jaccard"] == 1, o
assert o["rmse_xy_nm"] == 0 and o["rmse_z_nm"] == 0, o
' || fail "simulated truth against itself"
python3 - sim.csv shifted.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
header = rows[0]
col = {h.split(" [")[0]: i for i, h in enumerate(header)}
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for r in rows[1:]:
        for name, d in (("x", 12), ("y", -7), ("z", 30)):
            r[col[name]] = repr(float(r[col[name]]) + d)
        w.writerow(r)
PY
"$MUMLOC" evaluate --truth sim.csv --in shifted.csv --json | python3 -c '
import json, math, sys
o = json.load(sys.stdin)["overall"]
assert o["tp"] == 80 and o["fp"] == 0 and o["fn"] == 0, o
assert abs(o["bias_x_nm"] - 12) < 1e-6 and abs(o["bias_y_nm"] + 7) < 1e-6 and abs(o["bias_z_nm"] - 30) < 1e-6, o
assert abs(o["rmse_xy_nm"] - math.hypot(12, 7)) < 1e-6 and abs(o["rmse_z_nm"] - 30) < 1e-6, o
' || fail "simulated truth against a shifted copy"
echo "ok: evaluate report"
