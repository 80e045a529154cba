"""Seeded frequency and magnitude tables checked by ACRO, as JSON for HBroker's reference test and benchmark.

Usage: acro_tables.py OUT.json [TABLES]. Each table comes with what ACRO flagged, cell by cell, for the
minimum threshold, zeros, nk-dominance and p% rules, and with what HBroker needs to check the same table:
the CSV pandas writes (frequency tables) or every cell's contributions (magnitude tables).
"""

import atexit
import json
import logging
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd

logging.disable(logging.CRITICAL)
from acro import ACRO  # noqa: E402  (after logging is silenced: ACRO logs every table)

CHECKS = {
    "threshold": "MinimumThresholdCheck",
    "zeros": "PresenceOfZeroCheck",
    "nk": "NKCheck",
    "p": "PPercentCheck",
}


def dataset(rng, rows, even):
    """Two categorical variables, skewed (so some cells are small or empty) or even, and a magnitude."""
    a = rng.choice(list("ABCDE"), rows, p=None if even else [0.4, 0.3, 0.2, 0.07, 0.03])
    b = rng.choice(list("uvwx"), rows, p=None if even else [0.5, 0.3, 0.15, 0.05])
    # Mostly similar values with a few very large ones, so some cells are dominated.
    v = np.round(rng.lognormal(3, 1.5, rows), 2)
    return pd.DataFrame({"a": a, "b": b, "v": v})


def flagged(output):
    cells = output.sdc.get("cells", {})
    return {name: sorted(map(list, cells.get(check, []))) for name, check in CHECKS.items() if check in cells}


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    rng = np.random.default_rng(20261121)
    # ACRO may write its outputs folder in the working directory: a temporary one, removed at exit.
    scratch = tempfile.TemporaryDirectory(prefix="hbroker-acro-")
    atexit.register(scratch.cleanup)
    os.chdir(scratch.name)
    acro = ACRO(suppress=False)
    tables, acro_seconds = [], 0.0
    for i in range(count):
        even = i % 4 in (0, 3)  # even, larger tables mostly pass; skewed ones fail in places
        df = dataset(rng, int(rng.integers(300, 1500)) if even else int(rng.integers(40, 400)), even)
        magnitude = i % 2 == 1
        started = time.perf_counter()
        if magnitude:
            table = acro.crosstab(df.a, df.b, values=df.v, aggfunc="sum" if i % 4 == 1 else "mean")
        else:
            table = acro.crosstab(df.a, df.b)
        acro_seconds += time.perf_counter() - started
        result = list(acro.results.results.values())[-1]
        entry = {"kind": "magnitude" if magnitude else "frequency", "acro": flagged(result)}
        if magnitude:
            groups = df.groupby(["a", "b"]).v.apply(list)
            entry["cells"] = [
                [groups.get((r, c), []) for c in table.columns] for r in table.index
            ]
        else:
            entry["csv"] = table.to_csv()
        tables.append(entry)
    with open(out, "w") as f:
        json.dump({"acro_seconds": acro_seconds, "tables": tables}, f)


if __name__ == "__main__":
    main()
