"""Prints facts about a 32-bit float TIFF for the CLI tests, with the standard library only.

    python3 tiff_floats.py MOVIE.tif        -> "images=N width=W height=H min=... max=... distinct=D"
    python3 tiff_floats.py MOVIE.tif --description   -> the first image's ImageDescription

Reads classic TIFF (II or MM) with one IFD per image, or an ImageJ file whose first IFD announces
"images=N" with the pixel data stored contiguously (ImageJ's form for files with many images)."""
import struct
import sys

TAG_WIDTH, TAG_HEIGHT, TAG_BITS, TAG_DESCRIPTION = 256, 257, 258, 270
TAG_STRIP_OFFSETS, TAG_STRIP_BYTES, TAG_SAMPLE_FORMAT = 273, 279, 339
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 16: 8}


def read_ifd(data, order, offset):
    (count,) = struct.unpack_from(order + "H", data, offset)
    tags = {}
    for i in range(count):
        tag, kind, n = struct.unpack_from(order + "HHI", data, offset + 2 + 12 * i)
        size = TYPE_SIZES.get(kind, 1) * n
        where = offset + 2 + 12 * i + 8
        if size > 4:
            (where,) = struct.unpack_from(order + "I", data, where)
        if kind == 2:
            tags[tag] = data[where:where + n].rstrip(b"\0").decode("latin-1")
        elif kind in (3, 4):
            code = "H" if kind == 3 else "I"
            tags[tag] = list(struct.unpack_from(order + code * n, data, where))
    (next_ifd,) = struct.unpack_from(order + "I", data, offset + 2 + 12 * count)
    return tags, next_ifd


def main():
    data = open(sys.argv[1], "rb").read()
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or struct.unpack_from(order + "H", data, 2)[0] != 42:
        sys.exit("not a classic TIFF: " + sys.argv[1])
    ifds = []
    (offset,) = struct.unpack_from(order + "I", data, 4)
    while offset:
        tags, offset = read_ifd(data, order, offset)
        ifds.append(tags)
    first = ifds[0]
    if "--description" in sys.argv:
        print(first.get(TAG_DESCRIPTION, ""))
        return
    if first.get(TAG_BITS) != [32] or first.get(TAG_SAMPLE_FORMAT) != [3]:
        sys.exit("not 32-bit float samples")
    width, height = first[TAG_WIDTH][0], first[TAG_HEIGHT][0]
    plane = width * height
    announced = 1
    for field in first.get(TAG_DESCRIPTION, "").split("\n"):
        if field.startswith("images="):
            announced = int(field[7:])
    if len(ifds) == 1 and announced > 1:
        starts = [first[TAG_STRIP_OFFSETS][0] + 4 * plane * i for i in range(announced)]
    else:
        starts = []
        for tags in ifds:
            if tags[TAG_STRIP_OFFSETS] != sorted(tags[TAG_STRIP_OFFSETS]):
                sys.exit("strips out of order")
            # Strips of one image are expected back to back.
            starts.append(tags[TAG_STRIP_OFFSETS][0])
    values = []
    for start in starts:
        values.extend(struct.unpack_from(order + "f" * plane, data, start))
    print("images=%d width=%d height=%d min=%r max=%r distinct=%d"
          % (len(starts), width, height, min(values), max(values), len(set(values))))


main()
