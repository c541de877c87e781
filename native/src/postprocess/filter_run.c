/* Running a compiled filter program over a block of rows: a stack of column-wide vectors, so each
 * operation is one tight loop the compiler vectorises. */
#include <math.h>
#include <string.h>

#include "postprocess/filter_expr.h"

static inline int truth(double v) { return v == v && v != 0.0; }

void filter_program_run(const filter_program *g, const mumloc_table *table, int64_t first,
                        int64_t n, double *stack, unsigned char *keep) {
    int sp = 0;
    for (int k = 0; k < g->count; k++) {
        const filter_op *op = &g->ops[k];
        double *top = stack + (size_t)sp * FILTER_BLOCK;
        double *a = top - FILTER_BLOCK, *b = top; /* binary: a (op) b with b on top; unary: a */
        switch (op->code) {
        case FILTER_COLUMN:
            memcpy(top, mumloc_table_column_data(table, op->column) + first, (size_t)n * sizeof *top);
            sp++;
            continue;
        case FILTER_CONST:
            for (int64_t i = 0; i < n; i++) top[i] = op->value;
            sp++;
            continue;
        default: break;
        }
        if (op->code <= FILTER_ROUND) { /* unary, in place on the top value */
            for (int64_t i = 0; i < n; i++) {
                double v = a[i];
                switch (op->code) {
                case FILTER_NEG: v = -v; break;
                case FILTER_NOT: v = truth(v) ? 0.0 : 1.0; break;
                case FILTER_ABS: v = fabs(v); break;
                case FILTER_SQRT: v = sqrt(v); break;
                case FILTER_EXP: v = exp(v); break;
                case FILTER_LOG: v = log(v); break;
                case FILTER_LOG10: v = log10(v); break;
                case FILTER_FLOOR: v = floor(v); break;
                case FILTER_CEIL: v = ceil(v); break;
                default: v = round(v); break;
                }
                a[i] = v;
            }
            continue;
        }
        a = top - 2 * FILTER_BLOCK;
        b = top - FILTER_BLOCK;
        switch (op->code) {
        case FILTER_ADD: for (int64_t i = 0; i < n; i++) a[i] += b[i]; break;
        case FILTER_SUB: for (int64_t i = 0; i < n; i++) a[i] -= b[i]; break;
        case FILTER_MUL: for (int64_t i = 0; i < n; i++) a[i] *= b[i]; break;
        case FILTER_DIV: for (int64_t i = 0; i < n; i++) a[i] /= b[i]; break;
        case FILTER_POW: for (int64_t i = 0; i < n; i++) a[i] = pow(a[i], b[i]); break;
        case FILTER_MIN: for (int64_t i = 0; i < n; i++) a[i] = fmin(a[i], b[i]); break;
        case FILTER_MAX: for (int64_t i = 0; i < n; i++) a[i] = fmax(a[i], b[i]); break;
        case FILTER_LT: for (int64_t i = 0; i < n; i++) a[i] = a[i] < b[i]; break;
        case FILTER_LE: for (int64_t i = 0; i < n; i++) a[i] = a[i] <= b[i]; break;
        case FILTER_GT: for (int64_t i = 0; i < n; i++) a[i] = a[i] > b[i]; break;
        case FILTER_GE: for (int64_t i = 0; i < n; i++) a[i] = a[i] >= b[i]; break;
        case FILTER_EQ: for (int64_t i = 0; i < n; i++) a[i] = a[i] == b[i]; break;
        case FILTER_NE: /* NaN compares false, also for != */
            for (int64_t i = 0; i < n; i++) a[i] = a[i] == a[i] && b[i] == b[i] && a[i] != b[i];
            break;
        case FILTER_AND: for (int64_t i = 0; i < n; i++) a[i] = truth(a[i]) && truth(b[i]); break;
        default: for (int64_t i = 0; i < n; i++) a[i] = truth(a[i]) || truth(b[i]); break;
        }
        sp--;
    }
    for (int64_t i = 0; i < n; i++) keep[i] = (unsigned char)truth(stack[i]);
}
