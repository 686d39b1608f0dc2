"""The Python peer of the sheet benchmark: XlsxWriter with constant_memory,
the same cells as the C and Swift versions. Prints seconds and peak MiB."""
import sys
import time

import xlsxwriter

from peak import peak_mib

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
