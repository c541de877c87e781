/* The colour maps' control points. These are published data values, not code: viridis as matplotlib
 * defines it (9 evenly spaced stops), turbo as Google's published polynomial approximation sampled at
 * 17 even stops, with turbo's own end colours. Both have an odd number of stops, so t = 0.5 is
 * exactly the middle stop. */
#include "render/colormap.h"

#include <math.h>
#include <string.h>

#include "core/error.h"

typedef struct colormap_table {
    const char *name;
    int stops;
    const unsigned char (*rgb)[3];
} colormap_table;

static const unsigned char viridis[9][3] = {
    {68, 1, 84},    {71, 45, 123},  {59, 82, 139},   {44, 114, 142}, {33, 145, 140},
    {40, 174, 128}, {94, 201, 98},  {173, 220, 48},  {253, 231, 37}};

static const unsigned char turbo[17][3] = {
    {48, 18, 59},   {73, 62, 175},  {68, 106, 238}, {50, 149, 247}, {38, 189, 225},
    {41, 221, 187}, {64, 243, 146}, {102, 253, 109}, {150, 250, 80}, {198, 235, 59},
    {238, 208, 45}, {255, 171, 36}, {255, 128, 29}, {238, 84, 21},  {201, 45, 12},
    {161, 18, 2},   {122, 4, 3}};

static const colormap_table tables[MUMLOC_COLORMAP_COUNT] = {
    [MUMLOC_COLORMAP_VIRIDIS] = {"viridis", 9, viridis},
    [MUMLOC_COLORMAP_TURBO] = {"turbo", 17, turbo},
};

const char *mumloc_colormap_name(int colormap) {
    return colormap >= 0 && colormap < MUMLOC_COLORMAP_COUNT ? tables[colormap].name : NULL;
}

mumloc_status mumloc_colormap_from_name(const char *name, mumloc_colormap *out) {
    for (int m = 0; name && m < MUMLOC_COLORMAP_COUNT; m++)
        if (strcmp(name, tables[m].name) == 0) {
            if (out) *out = (mumloc_colormap)m;
            return MUMLOC_OK;
        }
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "colormap '%s' is unknown; the colour maps are viridis, turbo",
                       name ? name : "(null)");
}

void render_colormap_eval(mumloc_colormap map, double t, float rgb[3]) {
    const colormap_table *table = &tables[map];
    if (!(t > 0.0)) t = 0.0; /* also NaN */
    if (t > 1.0) t = 1.0;
    double position = t * (table->stops - 1);
    int lower = (int)position;
    if (lower >= table->stops - 1) lower = table->stops - 2;
    double frac = position - lower;
    for (int c = 0; c < 3; c++) {
        double a = table->rgb[lower][c], b = table->rgb[lower + 1][c];
        rgb[c] = (float)(a + (b - a) * frac);
    }
}

mumloc_status mumloc_colormap_color(mumloc_colormap colormap, double t, unsigned char rgb[3]) {
    if ((int)colormap < 0 || (int)colormap >= MUMLOC_COLORMAP_COUNT)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "colormap %d is out of range 0..%d",
                           (int)colormap, MUMLOC_COLORMAP_COUNT - 1);
    if (isnan(t)) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "colormap position t is NaN");
    if (!rgb) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "colormap colour output is NULL");
    float value[3];
    render_colormap_eval(colormap, t, value);
    for (int c = 0; c < 3; c++) rgb[c] = (unsigned char)lrintf(value[c]);
    return MUMLOC_OK;
}
