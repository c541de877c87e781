/* Locale-independent number parsing: the JVM (Fiji) may set a locale whose decimal separator is a
 * comma; mumloc's files always use '.', so every parse goes through the "C" locale. */
#ifndef MUMLOC_IO_C_NUMBER_H
#define MUMLOC_IO_C_NUMBER_H

/* strtod in the "C" locale, whatever the process locale. Same contract as strtod. */
double mumloc_strtod_c(const char *text, char **end);

#endif
