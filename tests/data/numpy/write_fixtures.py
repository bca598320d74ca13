#!/usr/bin/env python3
"""Writes the NumPy fixtures of tests/core/TestDataNumpy.cpp with numpy itself.

Run from anywhere: python3 tests/data/numpy/write_fixtures.py (writes next to this script).
The values follow formulas the test recomputes, so the files need no stored expectations:
  images  x[i, r, c] = (i * 31 + r * 7 + c * 3) % 256 (uint8), labels y[i] = i % 3 (int64)
  table   t[i, j] = i - 0.25 * j (float32), labels i % 2 (int64)
"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def images(n, h, w):
    i, r, c = np.meshgrid(np.arange(n), np.arange(h), np.arange(w), indexing="ij")
    return ((i * 31 + r * 7 + c * 3) % 256).astype(np.uint8)


x_train, y_train = images(6, 4, 5), np.arange(6, dtype=np.int64) % 3
x_test, y_test = images(3, 4, 5), np.arange(3, dtype=np.int64) % 3
# As Keras keeps mnist.npz: four arrays under these names. Stored (np.savez) and deflated.
np.savez(os.path.join(here, "images.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
np.savez_compressed(os.path.join(here, "images_compressed.npz"), x_train=x_train, y_train=y_train,
                    x_test=x_test, y_test=y_test)
i, j = np.meshgrid(np.arange(5), np.arange(3), indexing="ij")
np.save(os.path.join(here, "table_x.npy"), (i - 0.25 * j).astype(np.float32))
np.save(os.path.join(here, "table_y.npy"), np.arange(5, dtype=np.int64) % 2)
