/* The filter-expression parser (grammar in mumloc.h): one token of look-ahead, one function per
 * precedence level, each emitting its postfix operations as it goes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "io/c_number.h"
#include "postprocess/filter_expr.h"

typedef enum token_kind { TOKEN_END, TOKEN_NUMBER, TOKEN_NAME, TOKEN_OP } token_kind;

typedef struct parser {
    const char *text;
    const mumloc_table *table;
    filter_program *program;
    int stack;          /* values on the stack after the operations emitted so far */
    token_kind kind;    /* the current token */
    size_t start, end;  /* its characters [start, end) */
    double number;
    mumloc_status status;
} parser;

/* Words that stand for operators. */
static const char *word_op(const parser *p) {
    static const char *const words[][2] = {{"and", "&"}, {"or", "|"}, {"not", "!"}};
    size_t len = p->end - p->start;
    for (size_t i = 0; i < 3; i++)
        if (strlen(words[i][0]) == len && strncasecmp(p->text + p->start, words[i][0], len) == 0)
            return words[i][1];
    return NULL;
}

static mumloc_status error_at(parser *p, size_t at, const char *fmt, const char *what) {
    if (p->status != MUMLOC_OK) return p->status;
    char message[1400];
    snprintf(message, sizeof message, fmt, what);
    p->status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "filter expression \"%s\", at character %zu: %s",
                            p->text, at + 1, message);
    return p->status;
}

static void next_token(parser *p) {
    const char *s = p->text;
    size_t i = p->end;
    while (isspace((unsigned char)s[i])) i++;
    p->start = i;
    if (!s[i]) {
        p->kind = TOKEN_END;
        p->end = i;
        return;
    }
    if (isdigit((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1]))) {
        char *stop;
        p->number = strtod_c(s + i, &stop);
        p->kind = TOKEN_NUMBER;
        p->end = (size_t)(stop - s);
        return;
    }
    if (isalpha((unsigned char)s[i]) || s[i] == '_') {
        while (isalnum((unsigned char)s[i]) || s[i] == '_') i++;
        p->kind = TOKEN_NAME;
        p->end = i;
        return;
    }
    static const char *const ops[] = {"<=", ">=", "==", "!=", "&&", "||", "<", ">", "=", "!",
                                      "&", "|", "+", "-", "*", "/", "^", "(", ")", ","};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t len = strlen(ops[k]);
        if (strncmp(s + i, ops[k], len) == 0) {
            p->kind = TOKEN_OP;
            p->end = i + len;
            return;
        }
    }
    char bad[8];
    snprintf(bad, sizeof bad, "%c", s[i]);
    error_at(p, i, "unexpected character '%s'", bad);
    p->kind = TOKEN_END;
    p->end = i;
}

/* The current token is the operator op (symbol or its word). */
static int is_op(const parser *p, const char *op) {
    if (p->kind == TOKEN_NAME) {
        const char *w = word_op(p);
        return w && strcmp(w, op) == 0;
    }
    size_t len = p->end - p->start;
    return p->kind == TOKEN_OP && strlen(op) == len && strncmp(p->text + p->start, op, len) == 0;
}

static void emit(parser *p, filter_opcode code, int column, double value, int pops, int pushes) {
    if (p->status != MUMLOC_OK) return;
    filter_program *g = p->program;
    if (g->count == g->cap) {
        int cap = g->cap ? 2 * g->cap : 32;
        filter_op *ops = realloc(g->ops, (size_t)cap * sizeof *ops);
        if (!ops) {
            p->status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory");
            return;
        }
        g->ops = ops;
        g->cap = cap;
    }
    g->ops[g->count++] = (filter_op){code, column, value};
    p->stack += pushes - pops;
    if (p->stack > g->depth) g->depth = p->stack;
}

/* Each level returns 1 when what it parsed is a condition (comparison or logic), 0 for a number. */
static int parse_or(parser *p);

static int column_index(parser *p, size_t start, size_t len) {
    if (!p->table) return -1;
    for (int c = 0; c < mumloc_table_columns(p->table); c++) {
        const char *name = mumloc_table_column_name(p->table, c);
        if (strlen(name) == len && strncmp(name, p->text + start, len) == 0) return c;
    }
    /* unknown: the message lists the columns */
    char list[1024] = "", name[128];
    for (int c = 0; c < mumloc_table_columns(p->table); c++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", c ? ", " : "", mumloc_table_column_name(p->table, c));
    }
    snprintf(name, sizeof name, "%.*s", (int)(len < 100 ? len : 100), p->text + start);
    char message[1300];
    snprintf(message, sizeof message, "no column \"%s\"; the table's columns are: %s", name, list);
    error_at(p, start, "%s", message);
    return -1;
}

typedef struct function_def {
    const char *name;
    filter_opcode code;
    int args;
} function_def;

static const function_def functions[] = {
    {"abs", FILTER_ABS, 1},   {"sqrt", FILTER_SQRT, 1},   {"exp", FILTER_EXP, 1},
    {"log", FILTER_LOG, 1},   {"log10", FILTER_LOG10, 1}, {"floor", FILTER_FLOOR, 1},
    {"ceil", FILTER_CEIL, 1}, {"round", FILTER_ROUND, 1}, {"min", FILTER_MIN, 2},
    {"max", FILTER_MAX, 2},
};

static int parse_call(parser *p, size_t start, size_t len) {
    const function_def *f = NULL;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strlen(functions[i].name) == len && strncmp(functions[i].name, p->text + start, len) == 0)
            f = &functions[i];
    if (!f) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(len < 100 ? len : 100), p->text + start);
        error_at(p, start, "unknown function \"%s\"; functions are abs, sqrt, exp, log, log10, floor, "
                           "ceil, round, min, max", name);
        return 0;
    }
    next_token(p); /* '(' */
    for (int a = 0; a < f->args && p->status == MUMLOC_OK; a++) {
        if (a > 0) {
            if (!is_op(p, ",")) {
                error_at(p, p->start, "%s takes two arguments: expected ','", f->name);
                return 0;
            }
            next_token(p);
        }
        parse_or(p);
    }
    if (!is_op(p, ")")) {
        error_at(p, p->start, "expected ')' to close %s(", f->name);
        return 0;
    }
    next_token(p);
    emit(p, f->code, 0, 0, f->args, 1);
    return 0;
}

static int parse_primary(parser *p) {
    if (p->status != MUMLOC_OK) return 0;
    if (p->kind == TOKEN_NUMBER) {
        emit(p, FILTER_CONST, 0, p->number, 0, 1);
        next_token(p);
        return 0;
    }
    if (p->kind == TOKEN_NAME && !word_op(p)) {
        size_t start = p->start, len = p->end - p->start;
        next_token(p);
        if (is_op(p, "(")) return parse_call(p, start, len);
        int c = column_index(p, start, len);
        emit(p, FILTER_COLUMN, c, 0, 0, 1);
        return 0;
    }
    if (is_op(p, "(")) {
        size_t open = p->start;
        next_token(p);
        int condition = parse_or(p);
        if (!is_op(p, ")")) {
            error_at(p, open, "%s", "this '(' is not closed");
            return 0;
        }
        next_token(p);
        return condition;
    }
    if (p->kind == TOKEN_END) error_at(p, p->start, "%s", "the expression ends too early: expected a number, a column or '('");
    else error_at(p, p->start, "%s", "expected a number, a column name or '('");
    return 0;
}

static int parse_unary(parser *p);

/* a ^ b, right-associative, binding tighter than unary minus on its left (-2^2 = -4). */
static int parse_power(parser *p) {
    int condition = parse_primary(p);
    if (p->status == MUMLOC_OK && is_op(p, "^")) {
        next_token(p);
        parse_unary(p);
        emit(p, FILTER_POW, 0, 0, 2, 1);
        return 0;
    }
    return condition;
}

static int parse_unary(parser *p) {
    if (p->status != MUMLOC_OK) return 0;
    if (is_op(p, "-")) {
        next_token(p);
        parse_unary(p);
        emit(p, FILTER_NEG, 0, 0, 1, 1);
        return 0;
    }
    if (is_op(p, "+")) {
        next_token(p);
        return parse_unary(p);
    }
    return parse_power(p);
}

typedef int (*level_fn)(parser *p);

typedef struct binary_op {
    const char *op;
    filter_opcode code;
} binary_op;

/* operand (op operand)*, left-associative; the result is a condition when gives_condition and an
 * operator was applied, else whatever the single operand was. */
static int parse_left(parser *p, level_fn operand, const binary_op *ops, int count, int gives_condition) {
    int condition = operand(p);
    for (;;) {
        const binary_op *hit = NULL;
        for (int i = 0; !hit && i < count && p->status == MUMLOC_OK; i++)
            if (is_op(p, ops[i].op)) hit = &ops[i];
        if (!hit) return condition;
        next_token(p);
        operand(p);
        emit(p, hit->code, 0, 0, 2, 1);
        condition = gives_condition;
    }
}

static int parse_product(parser *p) {
    static const binary_op ops[] = {{"*", FILTER_MUL}, {"/", FILTER_DIV}};
    return parse_left(p, parse_unary, ops, 2, 0);
}

static int parse_sum(parser *p) {
    static const binary_op ops[] = {{"+", FILTER_ADD}, {"-", FILTER_SUB}};
    return parse_left(p, parse_product, ops, 2, 0);
}

static int parse_comparison(parser *p) {
    int condition = parse_sum(p);
    static const struct { const char *op; filter_opcode code; } comparisons[] = {
        {"<=", FILTER_LE}, {">=", FILTER_GE}, {"==", FILTER_EQ}, {"!=", FILTER_NE},
        {"<", FILTER_LT},  {">", FILTER_GT},  {"=", FILTER_EQ}};
    for (size_t i = 0; p->status == MUMLOC_OK && i < sizeof comparisons / sizeof comparisons[0]; i++)
        if (is_op(p, comparisons[i].op)) {
            next_token(p);
            parse_sum(p);
            emit(p, comparisons[i].code, 0, 0, 2, 1);
            for (size_t k = 0; k < sizeof comparisons / sizeof comparisons[0]; k++)
                if (is_op(p, comparisons[k].op))
                    error_at(p, p->start, "%s", "comparisons do not chain: write a < x & x < b");
            return 1;
        }
    return condition;
}

static int parse_not(parser *p) {
    if (p->status == MUMLOC_OK && is_op(p, "!")) {
        next_token(p);
        parse_not(p);
        emit(p, FILTER_NOT, 0, 0, 1, 1);
        return 1;
    }
    return parse_comparison(p);
}

static int parse_and(parser *p) {
    static const binary_op ops[] = {{"&", FILTER_AND}, {"&&", FILTER_AND}};
    return parse_left(p, parse_not, ops, 2, 1);
}

static int parse_or(parser *p) {
    static const binary_op ops[] = {{"|", FILTER_OR}, {"||", FILTER_OR}};
    return parse_left(p, parse_and, ops, 2, 1);
}

mumloc_status filter_compile(const char *expression, const mumloc_table *table, filter_program *out) {
    memset(out, 0, sizeof *out);
    if (!expression)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "filter: the expression is NULL");
    parser p = {expression, table, out, 0, TOKEN_END, 0, 0, 0.0, MUMLOC_OK};
    next_token(&p);
    if (p.kind == TOKEN_END && p.status == MUMLOC_OK)
        error_at(&p, 0, "%s", "the expression is empty");
    int condition = parse_or(&p);
    if (p.status == MUMLOC_OK && p.kind != TOKEN_END)
        error_at(&p, p.start, "%s", "unexpected text after a complete expression (missing & or |?)");
    if (p.status == MUMLOC_OK && !condition)
        error_at(&p, 0, "%s", "the expression gives a number, not a condition: compare it (e.g. "
                              "intensity > 500)");
    if (p.status != MUMLOC_OK) {
        filter_program_free(out);
        return p.status;
    }
    return MUMLOC_OK;
}

void filter_program_free(filter_program *program) {
    if (!program) return;
    free(program->ops);
    memset(program, 0, sizeof *program);
}
