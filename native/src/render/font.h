/* A tiny 5×7 bitmap font for the colour bar's and the plots' labels: digits, ASCII letters and
 * common punctuation (- . [ ] ( ) / : , + % = _ ^ < >); other characters draw as a space. */
#ifndef RENDER_FONT_H
#define RENDER_FONT_H

enum { FONT_GLYPH_WIDTH = 5, FONT_GLYPH_HEIGHT = 7, FONT_ADVANCE = 6 };

/* Row `row` (0 = top) of the glyph of c as 5 bits, bit 4 the leftmost pixel; 0 for unknown chars. */
unsigned font_glyph_row(char c, int row);

/* Draws the part of text that lies on canvas row y: the text's top-left corner is (x, top), every
 * font pixel a scale × scale block, in colour rgb_value. rgb is the row (width pixels, 3 bytes each). */
void font_draw_text_row(const char *text, int x, int top, int scale, int y, unsigned char *rgb,
                        int width, const unsigned char rgb_value[3]);

#endif
