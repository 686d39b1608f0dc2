/* The C peer of the sheet benchmark: ROWS x 10 cells (numbers and short
 * strings mixed) through libxlsxwriter in constant-memory mode, exactly as
 * the Swift benchmark writes them. Prints seconds and peak MiB. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: write_sheet FILE ROWS\n"); return 64; }
    long rows = atol(argv[2]);
    static const char *words[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *workbook = workbook_new_opt(argv[1], &options);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Data");
    for (long row = 0; row < rows; row++) {
        for (int col = 0; col < 10; col++) {
            if (col % 2 == 0)
                worksheet_write_number(sheet, row, col, (double)(row * 10 + col), NULL);
            else
                worksheet_write_string(sheet, row, col, words[(row + col) % 5], NULL);
        }
    }
    lxw_error error = workbook_close(workbook);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (error) { fprintf(stderr, "%s\n", lxw_strerror(error)); return 1; }
    /* VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak. */
    double peak = 0;
    char line[256];
    FILE *status = fopen("/proc/self/status", "r");
    while (status && fgets(line, sizeof line, status))
        if (sscanf(line, "VmHWM: %lf", &peak) == 1) break;
    if (status) fclose(status);
    printf("%.3f %.1f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9, peak / 1024.0);
    return 0;
}
