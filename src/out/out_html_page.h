/*
 * out_html_page: the fixed text of the page --format=html writes, in four
 * parts, each an array of lines ending with NULL:
 *
 *     a  "ticks: " PATHS  b  PATHS  c  DATA (JSON)  d
 *
 * (the title, the heading, then the data and the script). Only out_html.c
 * reads them.
 */
#ifndef TK_OUT_HTML_PAGE_H
#define TK_OUT_HTML_PAGE_H

extern const char *const tk_html_page_a[];
extern const char *const tk_html_page_b[];
extern const char *const tk_html_page_c[];
extern const char *const tk_html_page_d[];

#endif
