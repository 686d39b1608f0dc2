"""The Python peer of the petition benchmark.

Reads petition.csv with the standard csv module, groups rows by source,
sorts each source by date and computes the total at the end of the last
month, as Coalition Digest does (minus its checks and diagnostics).
Prints: seconds, peak MiB, total.
"""
import bisect
import csv
import sys
import time
from datetime import date

from peak import peak_mib


def main(path):
    start = time.perf_counter()
    by_source = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            day = date.fromisoformat(row[0]).toordinal()
            by_source.setdefault(row[1], []).append((day, row[2] == "total", int(row[3])))
    last = max(day for rows in by_source.values() for day, _, _ in rows)
    last_date = date.fromordinal(last)
    month_end = date(last_date.year + (last_date.month == 12), last_date.month % 12 + 1, 1).toordinal() - 1
    total = 0
    for rows in by_source.values():
        rows.sort(key=lambda r: r[0])
        days, totals, running = [], [], 0
        for day, is_total, count in rows:
            running = count if is_total else running + count
            days.append(day)
            totals.append(running)
        index = bisect.bisect_right(days, month_end)
        total += totals[index - 1] if index else 0
    elapsed = time.perf_counter() - start
    peak = peak_mib()
    print(f"{elapsed:.3f} {peak:.1f} {total}")


if __name__ == "__main__":
    main(sys.argv[1])
