#!/usr/bin/env python3
"""Writes the .npy/.npz fixtures read by NpyTest and NpzTest.

Output: batchwise-core/src/test/resources/dev/batchwise/tensor/npy/ (run from the repository root,
or pass another folder as the only argument). Needs NumPy; the tests themselves never run Python.

Element values follow formulas that NpyFixtures.java (test tree) evaluates the same way, so the
tests check every element without a second copy of the data:

    flat C-order index i = 0, 1, ...
    float32 / float64 : (i - 7) * 0.375 + (i % 5) * 1e-3   computed in float64, then cast
    int32             : low 32 bits of i * 2654435761, two's complement
    int64             : low 64 bits of i * 0x9E3779B97F4A7C15, two's complement
    uint8             : (i * 37 + 11) % 256
    bool              : i % 3 == 0

Fortran-ordered and big-endian fixtures hold the same logical values (the element at C-order
index i), only stored differently.
"""

import io
import os
import struct
import sys
import zipfile

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    "batchwise-core", "src", "test", "resources", "dev", "batchwise", "tensor", "npy")


def pattern(kind, shape):
    n = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    i = np.arange(n, dtype=np.int64)
    if kind in ("f4", "f8"):
        v = (i.astype(np.float64) - 7) * 0.375 + (i % 5).astype(np.float64) * 1e-3
        v = v.astype(np.float32 if kind == "f4" else np.float64)
    elif kind == "i4":
        v = np.array([((k * 2654435761) & 0xFFFFFFFF) for k in range(n)], dtype=np.uint64)
        v = v.astype(np.uint32).view(np.int32)
    elif kind == "i8":
        v = np.array([((k * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) for k in range(n)], dtype=np.uint64)
        v = v.view(np.int64)
    elif kind == "u1":
        v = ((i * 37 + 11) % 256).astype(np.uint8)
    elif kind == "b1":
        v = (i % 3) == 0
    else:
        raise ValueError(kind)
    return v.reshape(shape)


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array)
        else:
            np.lib.format.write_array(f, array, version=version)


def raw_npy(name, header_dict_text, data, version=(1, 0), magic=b"\x93NUMPY"):
    """A hand-made .npy (for byte orders and defects that np.save never writes)."""
    header = header_dict_text.encode("latin1")
    prefix = 10 if version[0] == 1 else 12
    pad = 64 - (prefix + len(header) + 1) % 64
    header = header + b" " * pad + b"\n"
    length = struct.pack("<H", len(header)) if version[0] == 1 else struct.pack("<I", len(header))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(magic + bytes(version) + length + header + data)


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith((".npy", ".npz")):
            os.remove(os.path.join(OUT, old))

    # Every dtype, C order, little-endian, as np.save writes them.
    save("f4_2x3.npy", pattern("f4", (2, 3)))
    save("f8_4.npy", pattern("f8", (4,)))
    save("i4_2x3x4.npy", pattern("i4", (2, 3, 4)))
    save("i8_3x5.npy", pattern("i8", (3, 5)))
    save("u1_2x3x4.npy", pattern("u1", (2, 3, 4)))
    save("b1_7.npy", pattern("b1", (7,)))
    # 0-d and zero-size.
    save("f8_scalar.npy", pattern("f8", ()))
    save("i4_scalar.npy", pattern("i4", ()))
    save("u1_scalar.npy", pattern("u1", ()))
    save("f4_empty_0.npy", pattern("f4", (0,)))
    save("i8_empty_3x0x2.npy", pattern("i8", (3, 0, 2)))
    save("b1_empty_0x4.npy", pattern("b1", (0, 4)))

    # Fortran order: same logical values, column-major bytes.
    save("f8_fortran_2x3x4.npy", np.asfortranarray(pattern("f8", (2, 3, 4))))
    save("i4_fortran_3x5.npy", np.asfortranarray(pattern("i4", (3, 5))))
    save("u1_fortran_4x3x2.npy", np.asfortranarray(pattern("u1", (4, 3, 2))))
    save("b1_fortran_3x4.npy", np.asfortranarray(pattern("b1", (3, 4))))

    # Big-endian (np.save keeps the array's byte order).
    save("f4_be_2x3x4.npy", pattern("f4", (2, 3, 4)).astype(">f4"))
    save("f8_be_5.npy", pattern("f8", (5,)).astype(">f8"))
    save("i4_be_3x2.npy", pattern("i4", (3, 2)).astype(">i4"))
    save("i8_be_2x2x2.npy", pattern("i8", (2, 2, 2)).astype(">i8"))
    save("f8_be_fortran_3x4.npy", np.asfortranarray(pattern("f8", (3, 4)).astype(">f8")))
    # '=' (native order, little-endian on every machine we build on) never comes out of np.save.
    raw_npy("i4_native_3x2.npy", "{'descr': '=i4', 'fortran_order': False, 'shape': (3, 2), }",
            pattern("i4", (3, 2)).astype("<i4").tobytes())
    # '<u1' and '>b1' are legal spellings of the one-byte types.
    raw_npy("u1_lt_5.npy", "{'descr': '<u1', 'fortran_order': False, 'shape': (5,), }",
            pattern("u1", (5,)).tobytes())
    # Header written with double quotes, another key order and an old-style 'L' suffix.
    raw_npy("f4_oddheader_2x3.npy", '{"shape": (2L, 3L), "fortran_order": False, "descr": "<f4"}',
            pattern("f4", (2, 3)).tobytes())

    # Header versions 2.0 and 3.0.
    save("f4_v2_2x3.npy", pattern("f4", (2, 3)), version=(2, 0))
    save("f4_v3_2x3.npy", pattern("f4", (2, 3)), version=(3, 0))

    # Values that must survive bit-exactly.
    f4_bits = [0x7FC00000, 0xFFC00000, 0x7FC00001, 0x7F800000, 0xFF800000, 0x00000000, 0x80000000,
               0x7F7FFFFF, 0x00800000, 0x00000001, 0x7149F2CA, 0xBF800000]
    save("f4_special.npy", np.array(f4_bits, dtype=np.uint32).view(np.float32))
    f8_bits = [0x7FF8000000000000, 0xFFF8000000000000, 0x7FF8000000000123, 0x7FF0000000000000,
               0xFFF0000000000000, 0x0000000000000000, 0x8000000000000000, 0x7FEFFFFFFFFFFFFF,
               0x0010000000000000, 0x0000000000000001, 0x54B249AD2594C37D, 0xBFF0000000000000]
    save("f8_special.npy", np.array(f8_bits, dtype=np.uint64).view(np.float64))
    save("i8_extremes.npy", np.array([-2**63, 2**63 - 1, -1, 0, 1, 2**53 + 1], dtype=np.int64))
    save("i4_extremes.npy", np.array([-2**31, 2**31 - 1, -1, 0, 1], dtype=np.int32))

    # Unsupported element types.
    save("bad_f2.npy", np.arange(4, dtype=np.float16))
    save("bad_i1.npy", np.arange(4, dtype=np.int8))
    save("bad_c8.npy", np.arange(4, dtype=np.complex64))
    save("bad_str.npy", np.array(["ab", "cde"]))
    save("bad_structured.npy", np.zeros(3, dtype=[("x", "<f4"), ("y", "<i4")]))
    with open(os.path.join(OUT, "bad_object.npy"), "wb") as f:
        np.save(f, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)

    # Malformed files.
    good = io.BytesIO()
    np.save(good, pattern("f4", (2, 3)))
    good = good.getvalue()
    with open(os.path.join(OUT, "bad_magic.npy"), "wb") as f:
        f.write(b"\x93NUMPX" + good[6:])
    with open(os.path.join(OUT, "bad_truncated_data.npy"), "wb") as f:
        f.write(good[:-14])
    with open(os.path.join(OUT, "bad_truncated_header.npy"), "wb") as f:
        f.write(good[:40])
    with open(os.path.join(OUT, "bad_version.npy"), "wb") as f:
        f.write(good[:6] + b"\x04\x00" + good[8:])
    raw_npy("bad_no_shape.npy", "{'descr': '<f4', 'fortran_order': False, }", b"")
    raw_npy("bad_negative_shape.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", b"")
    raw_npy("bad_syntax.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}", b"\0" * 24)
    with open(os.path.join(OUT, "bad_empty.npy"), "wb"):
        pass

    # npz: insertion order zeta, alpha, mid, scalar, fortran, big_endian.
    arrays = dict(zeta=pattern("f4", (2, 3)), alpha=pattern("i8", (3, 0, 2)), mid=pattern("b1", (7,)),
                  scalar=pattern("f8", ()), fortran=np.asfortranarray(pattern("i4", (3, 5))),
                  big_endian=pattern("f8", (5,)).astype(">f8"))
    np.savez(os.path.join(OUT, "arrays_stored.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "arrays_compressed.npz"), **arrays)
    # An npz with an entry that is not an array.
    with zipfile.ZipFile(os.path.join(OUT, "bad_not_npy_entry.npz"), "w") as z:
        z.writestr("zeta.npy", good)
        z.writestr("notes.txt", b"hello")
    # An npz whose second entry is cut short.
    with zipfile.ZipFile(os.path.join(OUT, "bad_truncated_entry.npz"), "w") as z:
        z.writestr("ok.npy", good)
        z.writestr("cut.npy", good[:-14])


if __name__ == "__main__":
    main()
