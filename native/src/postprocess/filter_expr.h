/* Filter expressions (mumloc.h, "Filtering"): a recursive-descent parser compiling the text to a
 * postfix program, and its column-wise evaluation over blocks of rows. */
#ifndef POSTPROCESS_FILTER_EXPR_H
#define POSTPROCESS_FILTER_EXPR_H

#include <stdint.h>

#include "mumloc.h"

typedef enum filter_opcode {
    FILTER_COLUMN, FILTER_CONST,
    FILTER_NEG, FILTER_NOT, FILTER_ABS, FILTER_SQRT, FILTER_EXP, FILTER_LOG, FILTER_LOG10,
    FILTER_FLOOR, FILTER_CEIL, FILTER_ROUND,                                  /* one operand */
    FILTER_ADD, FILTER_SUB, FILTER_MUL, FILTER_DIV, FILTER_POW, FILTER_MIN, FILTER_MAX,
    FILTER_LT, FILTER_LE, FILTER_GT, FILTER_GE, FILTER_EQ, FILTER_NE, FILTER_AND, FILTER_OR /* two */
} filter_opcode;

typedef struct filter_op {
    filter_opcode code;
    int column;   /* FILTER_COLUMN: the table's column (-1 when compiled without a table) */
    double value; /* FILTER_CONST */
} filter_op;

typedef struct filter_program {
    filter_op *ops;
    int count, cap;
    int depth;    /* the most values on the stack at once */
} filter_program;

/* Rows evaluated at once: the stack holds depth × FILTER_BLOCK values. */
enum { FILTER_BLOCK = 2048 };

/* Compiles expression; column names are resolved in table (NULL: syntax only). Errors
 * (MUMLOC_ERR_INVALID_ARGUMENT) give the 1-based character position, and for an unknown name the
 * table's columns. */
mumloc_status filter_compile(const char *expression, const mumloc_table *table, filter_program *out);
void filter_program_free(filter_program *program);

/* Evaluates rows [first, first + count) (count ≤ FILTER_BLOCK) of the table the program was compiled
 * with: keep[i] = 1 when row first + i passes. stack: depth × FILTER_BLOCK doubles of scratch. */
void filter_program_run(const filter_program *program, const mumloc_table *table, int64_t first,
                        int64_t count, double *stack, unsigned char *keep);

#endif
