"""Rewrites a classic TIFF movie in the big-file forms mumloc reads, with the standard library only
(an independent writer for the CLI tests).

    python3 tiff_convert.py bigtiff IN.tif OUT.tif
        the same IFDs (every tag, the description included) in a BigTIFF: 8-byte offsets,
        20-byte entries, StripOffsets as LONG8; one IFD per image.
    python3 tiff_convert.py ome-series IN.tif FOLDER PARTS
        FOLDER/movie_MMStack_Pos0.ome.tif, _1, ... as Micro-Manager splits an acquisition: the images
        spread over PARTS files, the first file's first IFD holding OME-XML (DimensionOrder XYCZT,
        sizes from IN's ImageJ description, one TiffData per plane naming its file), the others an
        ImageJ description of their own images.

IN must be little-endian classic TIFF with one IFD per image and one strip per image (mumloc's
multi-IFD form)."""
import os
import struct
import sys

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
STRIP_OFFSETS, DESCRIPTION = 273, 270


def read_ifds(data):
    """[(tags, pixels)]: tags maps tag -> (type, count, raw value bytes)."""
    assert data[:4] == b"II*\0", "little-endian classic TIFF expected"
    (offset,) = struct.unpack_from("<I", data, 4)
    ifds = []
    while offset:
        (count,) = struct.unpack_from("<H", data, offset)
        tags = {}
        for i in range(count):
            tag, kind, n = struct.unpack_from("<HHI", data, offset + 2 + 12 * i)
            size = TYPE_SIZES[kind] * n
            where = offset + 2 + 12 * i + 8
            if size > 4:
                (where,) = struct.unpack_from("<I", data, where)
            tags[tag] = (kind, n, data[where:where + size])
        (strip,) = struct.unpack("<I", tags[STRIP_OFFSETS][2])
        (length,) = struct.unpack("<I", tags[279][2])
        ifds.append((tags, data[strip:strip + length]))
        (offset,) = struct.unpack_from("<I", data, offset + 2 + 12 * count)
    return ifds


def write_bigtiff(path, ifds):
    out = bytearray(b"II+\0\x08\0\0\0" + b"\0" * 8)
    links = [8]  # where each IFD's offset goes
    for tags, pixels in ifds:
        strip = len(out)
        out += pixels
        tags = dict(tags)
        tags[STRIP_OFFSETS] = (16, 1, struct.pack("<Q", strip))
        values = {}
        for tag, (kind, n, raw) in tags.items():
            if len(raw) > 8:
                values[tag] = len(out)
                out += raw + b"\0" * (len(raw) & 1)
        struct.pack_into("<Q", out, links[-1], len(out))
        out += struct.pack("<Q", len(tags))
        for tag in sorted(tags):
            kind, n, raw = tags[tag]
            field = struct.pack("<Q", values[tag]) if tag in values else raw.ljust(8, b"\0")
            out += struct.pack("<HHQ", tag, kind, n) + field
        links.append(len(out))
        out += b"\0" * 8
    with open(path, "wb") as f:
        f.write(out)


def write_classic(path, ifds, descriptions):
    """ifds with new descriptions (a list of texts for the first IFD; none for the others)."""
    out = bytearray(b"II*\0\0\0\0\0")
    link = 4
    for i, (tags, pixels) in enumerate(ifds):
        strip = len(out)
        out += pixels
        entries = [(t, v) for t, v in tags.items() if t not in (DESCRIPTION, STRIP_OFFSETS)]
        entries.append((STRIP_OFFSETS, (4, 1, struct.pack("<I", strip))))
        if i == 0:
            for text in descriptions:
                raw = text.encode("utf-8") + b"\0"
                entries.append((DESCRIPTION, (2, len(raw), raw)))
        fields = []
        for tag, (kind, n, raw) in sorted(entries, key=lambda e: e[0]):
            if len(raw) > 4:
                where = len(out)
                out += raw + b"\0" * (len(raw) & 1)
                fields.append(struct.pack("<HHII", tag, kind, n, where))
            else:
                fields.append(struct.pack("<HHI", tag, kind, n) + raw.ljust(4, b"\0"))
        struct.pack_into("<I", out, link, len(out))
        out += struct.pack("<H", len(fields)) + b"".join(fields)
        link = len(out)
        out += b"\0" * 4
    with open(path, "wb") as f:
        f.write(out)


def imagej_value(description, key, default):
    for line in description.split("\n"):
        if line.startswith(key + "="):
            return int(line[len(key) + 1:])
    return default


def ome_series(ifds, folder, parts):
    description = ifds[0][0][DESCRIPTION][2].rstrip(b"\0").decode("utf-8")
    c, z = imagej_value(description, "channels", 1), imagej_value(description, "slices", 1)
    t = imagej_value(description, "frames", 1)
    assert c * z * t == len(ifds)
    width = struct.unpack("<I", ifds[0][0][256][2])[0] if ifds[0][0][256][0] == 4 else \
        struct.unpack("<H", ifds[0][0][256][2][:2])[0]
    height = struct.unpack("<I", ifds[0][0][257][2])[0] if ifds[0][0][257][0] == 4 else \
        struct.unpack("<H", ifds[0][0][257][2][:2])[0]
    names = ["movie_MMStack_Pos0.ome.tif"] + ["movie_MMStack_Pos0_%d.ome.tif" % k for k in range(1, parts)]
    per_part = -(-len(ifds) // parts)
    tiff_data = []
    for plane in range(len(ifds)):  # XYCZT: the images' own order
        ci, zi, ti = plane % c, plane // c % z, plane // (c * z)
        tiff_data.append('<TiffData FirstC="%d" FirstZ="%d" FirstT="%d" IFD="%d" PlaneCount="1">'
                         '<UUID FileName="%s">urn:uuid:%d</UUID></TiffData>'
                         % (ci, zi, ti, plane % per_part, names[plane // per_part], plane // per_part))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/'
           'OME/2016-06"><Image ID="Image:0" Name="movie"><Pixels DimensionOrder="XYCZT" '
           'ID="Pixels:0" SizeC="%d" SizeT="%d" SizeX="%d" SizeY="%d" SizeZ="%d" Type="float">%s'
           '</Pixels></Image></OME>' % (c, t, width, height, z, "".join(tiff_data)))
    for k in range(parts):
        mine = ifds[k * per_part:(k + 1) * per_part]
        imagej = "ImageJ=1.53t\nimages=%d\n" % len(mine)
        write_classic(os.path.join(folder, names[k]), mine, [xml, imagej] if k == 0 else [imagej])


def main():
    with open(sys.argv[2], "rb") as f:
        ifds = read_ifds(f.read())
    if sys.argv[1] == "bigtiff":
        write_bigtiff(sys.argv[3], ifds)
    else:
        ome_series(ifds, sys.argv[3], int(sys.argv[4]))


if __name__ == "__main__":
    main()
