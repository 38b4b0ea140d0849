"""Table picture speed: render_table on a 30-row board beside a baseline measured in the same
run (the same canvas size, each cell's text drawn once without layout, saved as an RGB PNG).
Only the ratio is meant to be compared across machines; nothing is asserted.

    .venv/bin/python bench/table_image.py [--rows 30] [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from reports.fonts import cjk_font
from reports.table_image import BODY_PX, plan_table, render_table

HEADERS = ["编号", "部门", "内容", "期限", "负责人"]
MARKS = ("late", "due_soon", "done", "waiting")


def board(count: int) -> list[list[str]]:
    return [[f"HZ-2026-{i:04d}", "设备部" if i % 2 else "Production",
             "高压配电柜异常，需要立即断电检修并更换绝缘件，同时通知生产部门调整排产计划"
             if i % 3 == 0 else "Leaking valve near the boiler room, check the gasket",
             "逾期 3h" if i % 4 == 0 else "2h left", "Li Lei"] for i in range(count)]


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # fonts loaded, caches warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = board(args.rows)
    marks = {(i, 3): MARKS[i % 4] for i in range(len(rows))}
    plan = plan_table("联合看板", HEADERS, rows)
    font = cjk_font(BODY_PX)

    def baseline() -> bytes:
        canvas = Image.new("RGB", (plan.width, plan.height), "white")
        draw = ImageDraw.Draw(canvas)
        for n, row in enumerate(rows):
            for c, text in enumerate(row):
                draw.text((c * 200, n * 40), text, font=font, fill=(0, 0, 0))
        out = io.BytesIO()
        canvas.save(out, "PNG")
        return out.getvalue()

    ours = median_ms(lambda: render_table("联合看板", HEADERS, rows, marks=marks), args.runs)
    base = median_ms(baseline, args.runs)
    size = len(render_table("联合看板", HEADERS, rows, marks=marks))
    print(f"{args.rows} rows, {plan.width}x{plan.height} px, {size / 1024:.0f} KiB")
    print(f"render_table {ours:7.1f} ms   baseline {base:7.1f} ms   ratio {ours / base:.2f}")


if __name__ == "__main__":
    main()
