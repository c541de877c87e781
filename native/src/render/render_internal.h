/* The renderer's state, shared by the files of render/ (accumulation, finishing, outputs). */
#ifndef RENDER_INTERNAL_H
#define RENDER_INTERNAL_H

#include <stdint.h>

#include "mumloc.h"
#include "render/colorbar.h"
#include "render/normal_table.h"

enum { RENDER_MAX_ASH_SHIFTS = 16 };

/* Gaussian kernels are truncated at this many σ (then renormalised to mass 1). */
#define RENDER_GAUSS_RADIUS_SIGMAS 4.0

/* Per-pixel accumulator: weight, then weight × red, green, blue (colour components in [0, 255]). */
enum { RENDER_CHANNELS = 4 };

/* One pixel's accumulator as a vector, so that a pixel is updated in one SIMD operation (GCC/Clang
 * vector extension; the image comes from calloc, 16-byte aligned, 16 bytes a pixel). */
typedef float render_pixel __attribute__((vector_size(16), may_alias));

struct mumloc_renderer {
    mumloc_render_params p;
    int width, height, slices;
    float *image;          /* width × height × RENDER_CHANNELS, row-major */
    float *stack;          /* slices × height × width, or NULL */
    int64_t rendered, outside;
    int finished;          /* outputs were read: ASH applied, saturation known */
    double saturation;     /* S, density at which brightness reaches 1 */
    colorbar_layout bar;   /* used when p.colorbar */
    normal_table *cdf;     /* GAUSSIAN only */
};

/* Largest x and y and the z range seen, for fields and z ranges that come from the data. */
typedef struct render_extent {
    double x_max, y_max, z_min, z_max;
    int64_t count;
} render_extent;

void render_extent_init(render_extent *e);
void render_extent_add(render_extent *e, double x, double y, double z);
/* Fills what params take from the data (field of 0, z_from_data); validates first. */
mumloc_status render_extent_apply(const render_extent *e, mumloc_render_params *p);
/* Error naming the localization (index as the caller counts it) when a coordinate is not finite. */
mumloc_status render_check_finite(int64_t index, double x, double y, double z);

/* Applies ASH smoothing and computes the saturation (idempotent). */
mumloc_status render_finish(mumloc_renderer *r);

/* Canvas size of the RGB output (image plus colour bar margin when enabled). */
void render_canvas_size(const mumloc_renderer *r, int *width, int *height);
/* One image row as RGB bytes (width × 3), no colour bar; the renderer must be finished. */
void render_image_row(const mumloc_renderer *r, int row, unsigned char *rgb);
/* One canvas row as RGB bytes (canvas_width × 3); the renderer must be finished. */
void render_canvas_row(const mumloc_renderer *r, int row, unsigned char *rgb);

#endif
