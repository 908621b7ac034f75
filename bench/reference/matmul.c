/* The i-k-j matrix multiply of bench/ (Workloads.MatMulFlat), in C, for the `gcc -O3 -march=native`
 * reference figure. Same data as the C# benchmarks: a[i][j] = (i*n + j) % 7 * 0.5, b[i][j] = (i + 2*j) % 5 * 0.25.
 * Prints the best and the median of RUNS runs in milliseconds, and a checksum to compare with .NET. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef N
#define N 512
#endif
#ifndef RUNS
#define RUNS 15
#endif

/* noinline, and pointers the compiler cannot prove distinct: the same freedom the JIT has. */
__attribute__((noinline)) static void matmul(const double *a, const double *b, double *c, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (int j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *x, const void *y)
{
    double d = *(const double *)x - *(const double *)y;
    return (d > 0) - (d < 0);
}

int main(void)
{
    int n = N;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = malloc(sizeof(double) * n * n);
    if (!a || !b || !c) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (i * n + j) % 7 * 0.5;
            b[i * n + j] = (i + 2 * j) % 5 * 0.25;
        }
    double times[RUNS], checksum = 0;
    for (int r = 0; r < RUNS; r++) {
        memset(c, 0, sizeof(double) * n * n);
        double t0 = now_ms();
        matmul(a, b, c, n);
        times[r] = now_ms() - t0;
    }
    for (int i = 0; i < n * n; i++) checksum += c[i];
    qsort(times, RUNS, sizeof(double), cmp);
    printf("matmul %dx%d i-k-j: best %.2f ms, median %.2f ms (%d runs), checksum %.6e\n",
           n, n, times[0], times[RUNS / 2], RUNS, checksum);
    free(a); free(b); free(c);
    return 0;
}
