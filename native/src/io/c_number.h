/* Locale-independent number parsing: the JVM (Fiji) may set a locale whose decimal separator is a
 * comma; mumloc's files always use '.', so every parse goes through the "C" locale. */
#ifndef IO_C_NUMBER_H
#define IO_C_NUMBER_H

/* strtod in the "C" locale, whatever the process locale. Same contract as strtod. */
double strtod_c(const char *text, char **end);

typedef enum number_check {
    NUMBER_OK,
    NUMBER_NOT_DECIMAL, /* not a plain decimal nor one of the three literals */
    NUMBER_TOO_LARGE    /* a decimal beyond the range of a double */
} number_check;

/* Reads a whole field as a table number the way ThunderSTORM writes them: a plain decimal with an
 * optional sign, fraction and exponent ("-12", "0.5", ".5", "1e-9", "3.E+4"), or exactly "NaN",
 * "Infinity" or "-Infinity". Everything else (hexadecimal "0x10", "inf", "nan", "1,5", spaces) is
 * NUMBER_NOT_DECIMAL, which strtod would partly accept. */
number_check parse_table_number(const char *text, double *value);

#endif
