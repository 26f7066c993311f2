/* completion: the bash and zsh completion scripts `ticks --completion=SHELL`
 * prints (make install writes them where bash-completion and zsh look). */
#ifndef TK_COMPLETION_H
#define TK_COMPLETION_H

#include <stdio.h>

/* Writes the script for SHELL ("bash" or "zsh") to OUT: 0, or -1 for an
 * unknown shell (nothing written). */
int tk_completion_print(const char *shell, FILE *out);

#endif
