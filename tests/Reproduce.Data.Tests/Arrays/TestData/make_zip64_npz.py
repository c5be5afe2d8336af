#!/usr/bin/env python3
"""Writes zip64.npz: an .npz in zip64 form (as numpy writes archives over 4 GiB), small enough to
commit. Standard library only, so no numpy is needed to regenerate it:
    python3 make_zip64_npz.py
Members: 'a' = uint16 (2, 3) [[0, 1, 2], [3, 4, 5]] stored; 'b' = float32 (4,) [0.5, -1, 2, 1e6] deflated.
"""
import struct
import zipfile

# Lower the limits so that this tiny archive takes every zip64 path a huge one would: zip64 extra
# fields in the local and central headers, and the zip64 end-of-central-directory record.
zipfile.ZIP64_LIMIT = 0
zipfile.ZIP_FILECOUNT_LIMIT = 0


def npy(descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    padding = 64 - (10 + len(header) + 1) % 64
    header = header + " " * padding + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


with zipfile.ZipFile("zip64.npz", "w") as archive:
    with archive.open(zipfile.ZipInfo("a.npy"), "w", force_zip64=True) as member:
        member.write(npy("<u2", "(2, 3)", struct.pack("<6H", 0, 1, 2, 3, 4, 5)))
    info = zipfile.ZipInfo("b.npy")
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        member.write(npy("<f4", "(4,)", struct.pack("<4f", 0.5, -1.0, 2.0, 1e6)))
