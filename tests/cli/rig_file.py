"""Writes a made-up rig file for the CLI tests, with the standard library only:

    python3 rig_file.py OUT.json SIZE LAYOUT [offsets]

Four cameras of SIZE x SIZE pixels and the default optics. Camera 1 is the reference; camera 2 is
mirrored in x, camera 3 turned a quarter, camera 4 mirrored in y; each also rotated by a fraction
of a degree, scaled by about 1 % and shifted by a few tenths to a pixel, as beam splitters leave
them. to_camera maps the field's centre to the centre plus the shift. With "offsets", each camera
gets its own offset, ADU gain and read noise."""
import json
import math
import sys

out, size, layout = sys.argv[1], int(sys.argv[2]), sys.argv[3]
per_camera = len(sys.argv) > 4 and sys.argv[4] == "offsets"
c = size / 2.0


def camera(flip_x, flip_y, turns, degrees, sx, sy, dx, dy, index):
    a = math.radians(degrees)
    near = [[sx * math.cos(a), -sy * math.sin(a)], [sx * math.sin(a), sy * math.cos(a)]]
    f = [[-1.0 if flip_x else 1.0, 0.0], [0.0, -1.0 if flip_y else 1.0]]
    d = f
    for _ in range(turns):  # R(x, y) = (-y, x) applied after the flips
        d = [[-d[1][0], -d[1][1]], [d[0][0], d[0][1]]]
    lin = [[sum(d[i][k] * near[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
    tx = c + dx - (lin[0][0] * c + lin[0][1] * c)
    ty = c + dy - (lin[1][0] * c + lin[1][1] * c)
    cam = {"to_camera": [lin[0][0], lin[0][1], tx, lin[1][0], lin[1][1], ty],
           "flip_x": int(flip_x), "flip_y": int(flip_y), "quarter_turns": turns}
    if per_camera:
        cam.update({"offset_adu": 100.0 + 7 * index, "adu_per_electron": 0.8 + 0.15 * index,
                    "em_gain": 1.0, "read_noise_e": 1.5 + 0.2 * index})
    return cam


rig = {"mumloc_rig": 1, "layout": layout, "width": size, "height": size, "optics": {},
       "cameras": [camera(0, 0, 0, 0.0, 1.0, 1.0, 0.0, 0.0, 0),
                   camera(1, 0, 0, 0.35, 1.009, 1.006, 0.62, -0.41, 1),
                   camera(0, 0, 1, -0.28, 0.993, 0.996, -0.37, 0.83, 2),
                   camera(0, 1, 0, 0.22, 1.004, 1.011, 0.25, 0.56, 3)]}
with open(out, "w") as f:
    json.dump(rig, f, indent=1)
