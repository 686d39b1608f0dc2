"""The Python peer of the sheet benchmark: XlsxWriter with constant_memory,
the same cells as the C and Swift versions. Prints seconds and peak MiB."""
import resource


def peak_mib():
    """VmHWM, which starts afresh at exec (ru_maxrss may carry the parent's peak)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import sys
import time

import xlsxwriter

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon"]


def main(path, rows):
    start = time.perf_counter()
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Data")
    for row in range(rows):
        for col in range(10):
            if col % 2 == 0:
                sheet.write_number(row, col, row * 10 + col)
            else:
                sheet.write_string(row, col, WORDS[(row + col) % 5])
    workbook.close()
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.3f} {peak_mib():.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
