#!/usr/bin/env python3
"""Generates the benchmark inputs: a catalogue of 2,800 regions and 36 annual indicators, a plan with 10,000 level
targets, and canonical CSV files of 1 M and 10 M rows (region x indicator x year, every fifth source quoted with a
comma inside). Usage: generate.py OUT_DIR [ROWS...]"""
import os
import sys

REGIONS = 2800
INDICATORS = 36


def region(i):
    return f"CN-C{i:04d}"


def write_config(out):
    """config/: the catalogue and 10,000 targets (evaluation); catalog/: the catalogue alone (ingest)."""
    plans = os.path.join(out, "config", "plans.d")
    os.makedirs(plans, exist_ok=True)
    os.makedirs(os.path.join(out, "catalog", "plans.d"), exist_ok=True)
    for folder in ("config", "catalog"):
        with open(os.path.join(out, folder, "planwatch.yaml"), "w") as f:
            f.write("plans: plans.d\n")
    with open(os.path.join(plans, "catalog.yaml"), "w") as f:
        f.write("indicators:\n")
        for i in range(INDICATORS):
            f.write(f"  - {{id: ind_{i:02d}, name: Indicator {i}, unit: index, publication_lag: P3M}}\n")
        f.write("regions:\n")
        for i in range(REGIONS):
            f.write(f"  - {{code: {region(i)}, name: County {i:04d}, level: county}}\n")
    with open(os.path.join(plans, "catalog.yaml")) as source, open(os.path.join(out, "catalog", "plans.d", "catalog.yaml"), "w") as f:
        f.write(source.read())
    with open(os.path.join(plans, "targets.yaml"), "w") as f:
        f.write("plan: {id: bench, title: Ten thousand targets, issued: 2020-01-01}\ntargets:\n")
        for t in range(10000):
            ind = t % 18
            reg = t // 18 % REGIONS
            f.write(f"  - {{id: t{t:05d}, kind: level, indicator: ind_{ind:02d}, region: {region(reg)}, "
                    f"compare: '>=', value: {1000 + t % 500}, baseline: 2005, deadline: 2030}}\n")


def write_rows(out, rows):
    path = os.path.join(out, f"rows-{rows}.csv")
    if os.path.exists(path):
        return path
    years = 20 if rows <= 1_000_000 else 100
    indicators = 18 if rows <= 1_000_000 else INDICATORS
    first_year = 2025 - years
    written = 0
    with open(path + ".part", "w", buffering=1 << 20) as f:
        f.write("indicator,region,period,value,source\n")
        for ind in range(indicators):
            for reg in range(REGIONS):
                base = 500 + (reg * 7 + ind * 13) % 900
                for y in range(years):
                    if written == rows:
                        break
                    value = base + y * (1 + (reg + ind) % 5) + (reg % 100) / 100
                    if written % 5 == 0:
                        source = f'"Statistics Bureau, County {reg:04d}"'
                    else:
                        source = f"County {reg:04d} yearbook"
                    f.write(f"ind_{ind:02d},{region(reg)},{first_year + y},{value:.2f},{source}\n")
                    written += 1
    os.rename(path + ".part", path)
    return path


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_config(out)
    for rows in (int(r) for r in sys.argv[2:] or ["1000000", "10000000"]):
        print(write_rows(out, rows))
