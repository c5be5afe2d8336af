#!/usr/bin/python3
"""The preprocess benchmark's reference: pydicom + numpy doing what `reproduce bench preprocess`
times, on the same files, on one core.

For every DICOM Part-10 file (DICM magic) with Modality CT below the tree: decode the stored values,
apply the authors' recipe (stored -2000 -> 0, value * slope + intercept with the intercept -1024
when absent, per-slice min-max to [0, 255]), resize by area averaging to SIZE x SIZE (separable,
the same weights as the C# Resampler), round half to even, write uint8 to one file.

Usage: /usr/bin/python3 bench/preprocess_pydicom.py <tree> [size]
Needs Debian's python3-pydicom and python3-numpy (the system interpreter, not a pyenv one).
"""
import os
import resource
import sys
import tempfile
import time

# One core, as the C# side: BLAS would otherwise spread the matrix products over every core.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import numpy as np  # noqa: E402
import pydicom  # noqa: E402


def area_taps(source, target):
    """Output i averages source interval [i*s, (i+1)*s), s = source / target, partial pixels by coverage.

    Returned as (indices, weights), each of shape (taps, target): output i is the sum over k of
    weights[k, i] * input[indices[k, i]], so a resize is a few vectorised gathers, not a dense product.
    """
    scale = source / target
    rows = []
    for i in range(target):
        start, end = i * scale, (i + 1) * scale
        rows.append([(j, (min(end, j + 1) - max(start, j)) / scale)
                     for j in range(int(np.floor(start)), min(source, int(np.ceil(end))))])
    taps = max(len(r) for r in rows)
    indices = np.zeros((taps, target), dtype=np.intp)
    weights = np.zeros((taps, target), dtype=np.float32)
    for i, row in enumerate(rows):
        for k, (j, w) in enumerate(row):
            indices[k, i], weights[k, i] = j, w
    return indices, weights


def resize(levels, rows, columns):
    (ry, wy), (rx, wx) = rows, columns
    vertical = sum(wy[k][:, None] * levels[ry[k], :] for k in range(len(wy)))
    return sum(wx[k][None, :] * vertical[:, rx[k]] for k in range(len(wx)))


def dicom_files(tree):
    for folder, directories, names in os.walk(tree):
        directories.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as stream:
                prefix = stream.read(132)
            if len(prefix) == 132 and prefix[128:] == b"DICM":
                yield path


def main():
    tree = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 224
    weights = {}
    slices = 0
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        for path in dicom_files(tree):
            dataset = pydicom.dcmread(path)
            if dataset.get("Modality") != "CT":
                continue
            stored = dataset.pixel_array.astype(np.int32)
            stored[stored == -2000] = 0
            slope = float(dataset.get("RescaleSlope", 1))
            intercept = float(dataset.get("RescaleIntercept", -1024))
            hu = (stored * slope + intercept).astype(np.float32)
            low, high = hu.min(), hu.max()
            levels = (hu - low) * (255.0 / (high - low)) if high > low else np.zeros_like(hu)
            rows, columns = levels.shape
            if (rows, columns) not in weights:
                weights[(rows, columns)] = (area_taps(rows, size), area_taps(columns, size))
            resized = resize(levels, *weights[(rows, columns)])
            output.write(np.clip(np.rint(resized), 0, 255).astype(np.uint8).tobytes())
            slices += 1
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pydicom {pydicom.__version__} + numpy {np.__version__}: {slices} slices in {seconds:.2f} s = "
          f"{slices / seconds:.1f} slices/s on one core; peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
