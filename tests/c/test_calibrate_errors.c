/* mumloc_calibrate's refusals, each naming the camera or plane and what to do: too few beads,
 * saturated beads, a scan that misses a plane's focus, flips that cannot be resolved (a bead pattern
 * with a mirror symmetry), a stack that does not fit its layout, too few steps, planes whose depths
 * come out in the wrong order (the stage moved the other way). Small stacks: each case runs in a
 * fraction of a second. */
#include <stdio.h>
#include <string.h>

#include "bead_stack_sim.h"
#include "check.h"
#include "mumloc.h"

/* Renders r's cameras as a bead stack (camera-major, like the files layout). */
static void render(const sim_rig *r, mumloc_bead_stack *s) {
    memset(s, 0, sizeof *s);
    s->cameras = r->cameras;
    s->width = r->width;
    s->height = r->height;
    s->steps = r->steps;
    s->bits_per_sample = 16;
    s->layout = MUMLOC_RIG_FILES;
    for (int d = 0; d < r->cameras; d++) {
        s->pixels[d] = malloc((size_t)r->steps * r->width * r->height * sizeof(float));
        sim_render_camera(r, d, s->pixels[d]);
    }
}

static mumloc_status calibrate(const sim_rig *r, double z_step, const mumloc_bead_stack *s) {
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    o.z_step_nm = z_step;
    o.optics.pixel_nm = r->pixel_nm;
    for (int d = 0; d < r->cameras; d++) {
        o.offset_adu[d] = r->offset_adu;
        o.adu_per_electron[d] = r->gain;
    }
    static mumloc_rig rig;
    return mumloc_calibrate(s, &o, &rig, NULL);
}

/* Expects an invalid-argument failure whose message holds every given fragment. */
static void expect_error(const char *what, mumloc_status st, const char *a, const char *b) {
    const char *m = mumloc_last_error();
    printf("%s: %s\n", what, m);
    CHECK(st == MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(m, a) != NULL);
    CHECK(!b || strstr(m, b) != NULL);
}

/* A small 2-camera rig: fast, and enough for every refusal. */
static void small_rig(sim_rig *r, int beads, uint64_t seed) {
    sim_rig_default(r, 2, 64, 64, beads, seed);
    r->z_step_nm = 100;
    r->separation = 14;
    double z0 = r->depth[0] - 700;
    r->steps = (int)ceil((r->depth[1] + 700 - z0) / r->z_step_nm) + 1;
    sim_rig_default(r, 2, 64, 64, beads, seed); /* place beads with the new separation */
    r->z_step_nm = 100;
    r->separation = 14;
    r->steps = (int)ceil((r->depth[1] + 700 - z0) / r->z_step_nm) + 1;
    const int mirror_x[4] = {-1, 0, 0, 1};
    sim_affine(r, 1, mirror_x, 0.3, 1.01, 0.5, -0.5);
}

int main(void) {
    sim_rig r;
    mumloc_bead_stack s;

    /* The small rig itself calibrates (so the refusals below are the cases', not the rig's). */
    small_rig(&r, 10, 3);
    render(&r, &s);
    CHECK_OK(calibrate(&r, r.z_step_nm, &s));
    /* Planes in the wrong order: the same stack with the step's sign flipped. */
    expect_error("reversed stage", calibrate(&r, -r.z_step_nm, &s), "do not increase",
                 "pass z-step 100");
    mumloc_bead_stack_free(&s);

    /* Too few beads. */
    small_rig(&r, 3, 4);
    render(&r, &s);
    expect_error("few beads", calibrate(&r, r.z_step_nm, &s), "too few beads", "camera");
    mumloc_bead_stack_free(&s);

    /* Saturated beads: far too bright for 16 bits. */
    small_rig(&r, 10, 5);
    r.photons *= 25;
    r.saturate = 1;
    render(&r, &s);
    expect_error("saturated", calibrate(&r, r.z_step_nm, &s), "saturated beads in camera 1",
                 "less laser power");
    mumloc_bead_stack_free(&s);

    /* The scan stops before plane 2's focus. */
    small_rig(&r, 10, 6);
    r.steps = (int)((r.depth[1] - 170 - (r.depth[0] - 800)) / r.z_step_nm) + 1; /* to 450 nm */
    render(&r, &s);
    expect_error("z range", calibrate(&r, r.z_step_nm, &s), "misses plane 2's focus",
                 "extend the scan");
    mumloc_bead_stack_free(&s);

    /* Beads placed with a mirror symmetry about the field's vertical midline: a mirrored camera
     * cannot tell a flip from none. */
    small_rig(&r, 8, 7);
    double xs[4] = {14, 22, 18, 26}, ys[4] = {12, 26, 40, 52};
    for (int b = 0; b < 4; b++) {
        r.bead_x[2 * b] = xs[b];
        r.bead_x[2 * b + 1] = 64 - xs[b];
        r.bead_y[2 * b] = r.bead_y[2 * b + 1] = ys[b];
    }
    const int identity[4] = {1, 0, 0, 1};
    sim_affine(&r, 1, identity, 0, 1, 0, 0);
    render(&r, &s);
    expect_error("symmetric beads", calibrate(&r, r.z_step_nm, &s), "cannot be resolved",
                 "camera 2");
    mumloc_bead_stack_free(&s);

    /* Shapes that do not fit the layout. */
    float images[5 * 4 * 4 * 12] = {0};
    expect_error("tiles of an odd chip",
                 mumloc_bead_stack_from_images(images, 5, 4, 1, 12, 16, MUMLOC_RIG_TILES2X2, &s),
                 "does not fit layout tiles2x2", "5 × 4");
    expect_error("tiles with channels",
                 mumloc_bead_stack_from_images(images, 4, 4, 2, 12, 16, MUMLOC_RIG_TILES1X4, &s),
                 "does not fit layout tiles1x4", "2 channels");
    expect_error("hyperstack of one channel",
                 mumloc_bead_stack_from_images(images, 4, 4, 1, 12, 16, MUMLOC_RIG_HYPERSTACK, &s),
                 "does not fit layout hyperstack", "--layout files");
    /* Too few steps for a scan. */
    small_rig(&r, 10, 8);
    r.steps = 5;
    render(&r, &s);
    expect_error("few steps", calibrate(&r, r.z_step_nm, &s), "5 images per camera", "focus");
    mumloc_bead_stack_free(&s);
    return CHECK_DONE("test_calibrate_errors");
}
