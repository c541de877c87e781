/* Tiling invariance: a frame localized whole and in small overlapping tiles gives the same network
 * output (to float tolerance) and the same localizations, for both architectures (random weights).
 * Also checks the tile layout itself: cores partition the axis, each at least the overlap inside
 * every inner tile edge. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "localize/tiling.h"
#include "mumloc.h"

static void check_layout(int length, int tile, int overlap) {
    tile_span spans[64];
    int n = tiling_axis(length, tile, overlap, spans, 64);
    CHECK(n >= 1 && n <= 64);
    int next = 0;
    for (int i = 0; i < n && i < 64; i++) {
        const tile_span *s = &spans[i];
        CHECK(s->size == (length < tile ? length : tile));
        CHECK(s->start >= 0 && s->start + s->size <= length);
        CHECK(s->core_begin == next); /* cores are contiguous, no gap, no overlap */
        CHECK(s->core_end > s->core_begin);
        if (s->start > 0) CHECK(s->core_begin - s->start >= overlap);
        if (s->start + s->size < length) CHECK(s->start + s->size - s->core_end >= overlap);
        next = s->core_end;
    }
    CHECK(next == length);
}

/* A frame with a smooth background, noise-like texture and a few bright spots. */
static void fill_frame(float *f, int k, int w, int h, unsigned seed) {
    srand(seed);
    for (int i = 0; i < k * w * h; i++) f[i] = 10.0f + (float)(rand() % 1000) / 100.0f;
    for (int m = 0; m < 6; m++) {
        int d = rand() % k, x = rand() % w, y = rand() % h;
        f[(d * h + y) * w + x] += 400.0f;
    }
}

/* The unused localization of a nearest to b, looked for near position i: the lists are sorted by
 * (y, x), so localizations on one row (equal y, as random weights give) may swap places when y
 * differs in the last bits (Winograd kernels round with the tile's position). */
static int64_t nearest_unused(const mumloc_localization *a, int64_t n, char *used,
                              const mumloc_localization *b, int64_t i) {
    int64_t best = i;
    double best_d = INFINITY;
    for (int64_t j = i > 256 ? i - 256 : 0; j < n && j <= i + 256; j++) {
        if (used[j]) continue;
        double dx = a[j].x_nm - b->x_nm, dy = a[j].y_nm - b->y_nm, dz = a[j].z_nm - b->z_nm;
        double d = dx * dx + dy * dy + dz * dz;
        if (d < best_d) best_d = d, best = j;
    }
    used[best] = 1;
    return best;
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* A threshold no probability comes within 1e-3 of (so float noise cannot flip a detection), near
 * the given quantile of the probability values. */
static double safe_threshold(const float *p, int64_t n, double quantile) {
    float *s = malloc(sizeof *s * (size_t)n);
    memcpy(s, p, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_float);
    for (int64_t i = (int64_t)(quantile * (double)n); i + 1 < n; i++)
        if (s[i + 1] - s[i] > 2e-3f && s[i] > 0.01f && s[i + 1] < 0.99f) {
            double t = 0.5 * ((double)s[i] + (double)s[i + 1]);
            free(s);
            return t;
        }
    free(s);
    return 0.5;
}

static void compare(mumloc_arch arch, int w, int h, int tile, int measure) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 7, &model));
    if (!model) return;
    const int k = optics.planes;
    float *frame = malloc(sizeof *frame * (size_t)(k * w * h));
    fill_frame(frame, k, w, h, 3);

    mumloc_localize_options whole_opt, tiled_opt;
    mumloc_localize_options_default(&whole_opt);
    whole_opt.measure = measure;
    /* what tiles could change is the network's output and its decoding; the refinement runs on the
     * whole frame after them (and would make this random-weights model's crowds slow to test) */
    whole_opt.refine = MUMLOC_REFINE_NONE;
    int c = 0, ow = 0, oh = 0;
    mumloc_model_output_size(model, w, h, &c, &ow, &oh);
    const int64_t out_n = (int64_t)c * ow * oh;

    /* first pass (whole frame) fixes a threshold away from every probability value */
    mumloc_localizer *whole = NULL, *tiled = NULL;
    CHECK_OK(mumloc_localizer_create(model, &whole_opt, w, h, &whole));
    CHECK_OK(mumloc_localizer_push(whole, frame, 1, 0));
    const float *out_whole = mumloc_localizer_last_output(whole);
    int64_t prob_n = arch == MUMLOC_ARCH_REGRESSION ? (int64_t)k * ow * oh : out_n;
    whole_opt.threshold = safe_threshold(out_whole, prob_n, arch == MUMLOC_ARCH_VOXEL ? 0.995 : 0.9);
    float *kept = malloc(sizeof *kept * (size_t)out_n);
    memcpy(kept, out_whole, sizeof *kept * (size_t)out_n);
    mumloc_localizer_destroy(whole);
    whole = NULL;

    tiled_opt = whole_opt;
    tiled_opt.tile = tile;
    CHECK_OK(mumloc_localizer_create(model, &whole_opt, w, h, &whole));
    CHECK_OK(mumloc_localizer_create(model, &tiled_opt, w, h, &tiled));
    CHECK_OK(mumloc_localizer_push(whole, frame, 1, 4));
    CHECK_OK(mumloc_localizer_push(tiled, frame, 1, 4));
    const float *a = mumloc_localizer_last_output(whole), *b = mumloc_localizer_last_output(tiled);
    double worst = 0;
    for (int64_t i = 0; a && b && i < out_n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (d > worst) worst = d;
        CHECK(a[i] == kept[i]); /* same path, same numbers */
    }
    CHECK(worst <= 1e-4);

    /* the check is not vacuous: the left `tile` columns alone give the whole frame's outputs up
     * to the receptive radius from their cut edge, and other values at the cut itself */
    {
        const int r = mumloc_model_receptive_radius(model), u = ow / w;
        float *crop = malloc(sizeof *crop * (size_t)(k * tile * h));
        for (int d = 0; d < k; d++)
            for (int y = 0; y < h; y++)
                memcpy(crop + ((int64_t)d * h + y) * tile, frame + ((int64_t)d * h + y) * w,
                       sizeof *crop * (size_t)tile);
        float *cout = malloc(sizeof *cout * (size_t)c * (size_t)(tile * u) * (size_t)oh);
        CHECK_OK(mumloc_model_forward(model, crop, 1, tile, h, cout));
        double inside = 0, at_cut = 0;
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < tile * u; x++) {
                    double diff = fabs((double)cout[((int64_t)ch * oh + y) * tile * u + x] -
                                       (double)kept[((int64_t)ch * oh + y) * ow + x]);
                    if (x / u < tile - r) inside = fmax(inside, diff);
                    if (x == tile * u - 1) at_cut = fmax(at_cut, diff);
                }
        CHECK(inside <= 1e-4);
        CHECK(at_cut > 1e-3);
        free(crop);
        free(cout);
    }

    int64_t na = mumloc_localizer_pending(whole), nb = mumloc_localizer_pending(tiled);
    CHECK(na == nb);
    CHECK(na > 0);
    mumloc_localization *la = calloc((size_t)na + 1, sizeof *la), *lb = calloc((size_t)nb + 1, sizeof *lb);
    int64_t ta = 0, tb = 0;
    CHECK_OK(mumloc_localizer_take(whole, la, na, &ta));
    CHECK_OK(mumloc_localizer_take(tiled, lb, nb, &tb));
    CHECK(ta == na && tb == nb && mumloc_localizer_pending(whole) == 0);
    char *used = calloc((size_t)na + 1, 1);
    for (int64_t i = 0; i < na && i < nb; i++) {
        const int64_t j = nearest_unused(la, na, used, &lb[i], i);
        CHECK(la[j].frame == 4 && lb[i].frame == 4);
        CHECK_NEAR(lb[i].x_nm, la[j].x_nm, 0.05);
        CHECK_NEAR(lb[i].y_nm, la[j].y_nm, 0.05);
        CHECK_NEAR(lb[i].z_nm, la[j].z_nm, 0.05);
        CHECK_NEAR(lb[i].probability, la[j].probability, 1e-4);
        if (measure) CHECK_NEAR(lb[i].photons, la[j].photons, 1e-3 * (fabs(la[j].photons) + 1));
        else CHECK(isnan(la[j].photons) && isnan(lb[i].photons));
    }
    free(used);
    printf("%s %dx%d tile %d (radius %d): %lld localizations, max output difference %.3g\n",
           mumloc_arch_name((int)arch), w, h, tile, mumloc_model_receptive_radius(model),
           (long long)na, worst);
    free(la);
    free(lb);
    free(kept);
    free(frame);
    mumloc_localizer_destroy(whole);
    mumloc_localizer_destroy(tiled);
    mumloc_model_destroy(model);
}

int main(void) {
    mumloc_set_threads(1);
    check_layout(100, 30, 10);
    check_layout(31, 30, 10);
    check_layout(30, 30, 10);
    check_layout(7, 30, 10);
    check_layout(257, 64, 5);
    check_layout(1000, 41, 10);
    { /* more spans than the buffer: the count is still returned */
        tile_span few[2];
        CHECK(tiling_axis(1000, 21, 10, few, 2) == 980);
        CHECK(tiling_axis(100, 20, 10, few, 2) == -1); /* no core left */
    }

    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 1, &m));
    if (m) CHECK(mumloc_model_receptive_radius(m) == 10); /* 2+2+1+1+1+1+1+1 */
    mumloc_model_destroy(m);
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_VOXEL, &optics, NULL, 1.0, 1, &m));
    if (m) CHECK(mumloc_model_receptive_radius(m) == 5);
    mumloc_model_destroy(m);

    compare(MUMLOC_ARCH_REGRESSION, 61, 45, 28, 1); /* 3 × 2 tiles of 28, step 8 */
    compare(MUMLOC_ARCH_VOXEL, 26, 19, 16, 0);      /* 3 × 2 tiles of 16, step 6 */

    /* a tile no larger than twice the radius is refused, naming the radius */
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 1, &m));
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.tile = 20;
    mumloc_localizer *l = NULL;
    CHECK_STATUS(mumloc_localizer_create(m, &o, 64, 64, &l), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "radius of 10") != NULL);
    CHECK(l == NULL);
    mumloc_model_destroy(m);
    return CHECK_DONE("test_tiling_invariance");
}
