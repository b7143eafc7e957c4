#!/usr/bin/env bash
# The progress report in a real browser (run by .ci/run): writes the demo's report, opens it in headless Chromium
# (installed from Debian when missing; skipped with a message where it cannot start), checks the DOM contract,
# no console errors, the point counts, and the exact chart geometry of one known target; then every page of the
# English and the Chinese report at 400 and 1400 px for horizontal overflow, the CSV downloads (BOM, links), and
# the zh pages' Chinese text drawn with a CJK font (scripts/install-deps installs fonts-noto-cjk); it keeps the
# screenshots (ID.png, ID-400.png, zh-*.png) as CI artifacts in .build-report/.
#
# central-rd-share-2025 has 6 points: the group's values 2019–2024 (the 2024 bulletin's provinces are in the seeds).
# anhui-urbanization-1pp at --as-of 2025-06-30, by hand (docs: ChartGeometry, TargetChart):
#   x axis 2019…2026 onto 64…696 (90.2857 a year), a year's value at its middle: 2019 → 109.1, 2020 → 199.4,
#   2021 → 289.7, 2022 → 380, 2023 → 470.3, 2024 → 560.6, 2025 → 650.9; the deadline at the end of 2025 → 696;
#   as of 2025-06-30 = 2025 + 180/365 → 650.2.
#   y axis 56…64 (ticks of 2 around 57.03…63.57) onto 304…16 (36 a point): 57.03 → 266.9, 58.33 → 220.1,
#   59.39 → 182, 60.16 → 154.2, 61.51 → 105.6, 62.57 → 67.5; the implied 2025 level 58.33 + 5 × 1 = 63.33 → 40.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.build-report
binary=${PLANWATCH_BIN:-.build/debug/planwatch}
rm -rf "$out/demo"
mkdir -p "$out"
"$binary" demo --as-of 2025-06-30 --state-dir "$out/demo" > "$out/demo.txt"
grep -q "The progress report, a chart for every target: $(pwd)/$out/demo/report/index.html" "$out/demo.txt"
"$binary" report --as-of 2025-06-30 --lang zh --state-dir "$out/demo" --log-dir "$out/demo/log" \
    --out "$(pwd)/$out/demo-zh" > "$out/demo-zh.txt"
exec python3 Tests/report/browser-check.py "$out/demo/report" --out "$out" --zh "$out/demo-zh" \
    --expect central-rd-share-2025=6 --expect anhui-urbanization-1pp=6 \
    --expect-attr anhui-urbanization-1pp path.pw-series d "M109.1 266.9 L199.4 220.1 L289.7 182 L380 154.2 L470.3 105.6 L560.6 67.5" \
    --expect-attr anhui-urbanization-1pp path.pw-required d "M199.4 220.1 L650.9 40.1" \
    --expect-attr anhui-urbanization-1pp line.pw-target y1 "40.1" \
    --expect-attr anhui-urbanization-1pp line.pw-deadline x1 "696" \
    --expect-attr anhui-urbanization-1pp line.pw-today x1 "650.2" \
    --expect-attr anhui-urbanization-1pp 'circle.pw-point[data-period="2019"]' cy "266.9"
