/* One plane as a camera sees it (sim_view): the rendering and the camera model that the movie
 * simulator (frames.c) and the bead z-stack simulator (beads.c) share. */
#include "simulate/camera_noise.h"
#include "simulate/simulator.h"

camera_noise_model sim_camera_model(const mumloc_camera *camera, const sim_view *view,
                                            int physical, const poisson_table *tables,
                                            int table_count, const ziggurat_table *ziggurat) {
    camera_noise_model cam;
    cam.background = camera->background_photons;
    cam.read_noise = view ? view->read_noise_e : camera->read_noise_e;
    cam.em_gain = view ? view->em_gain : camera->em_gain;
    cam.adu_gain = view ? view->adu_per_electron : camera->adu_per_electron;
    cam.offset = view ? view->offset_adu : camera->offset_adu;
    cam.physical = physical;
    cam.tables = tables;
    cam.table_count = table_count;
    cam.ziggurat = ziggurat;
    return cam;
}

void sim_render_view(const mumloc_optics *optics, const spline_plane_psf *spline,
                            const sim_view *view, int plane,
                            int width, int height, int row0, int row1, double dx_nm, double dy_nm,
                            const mumloc_emitter *emitters, int n, mumloc_emitter *mapped,
                            double *out, double *scratch) {
    const double depth = optics->plane_depth_nm[plane];
    if (!view || !view->mapped) {
        if (spline)
            render_spline_rows(optics, spline, plane, width, height, row0, row1, dx_nm, dy_nm,
                                      emitters, n, out);
        else
            render_plane_rows(optics, plane, width, height, row0, row1, depth, dx_nm, dy_nm,
                                 emitters, n, out, scratch);
        return;
    }
    /* The plane's drift moves the molecule in the reference frame (x − dx, y − dy); then the
     * camera's affine maps its centre (pixel units). */
    const double p = optics->pixel_nm;
    for (int m = 0; m < n; m++) {
        mumloc_emitter e = emitters[m];
        double u, v;
        mumloc_rig_affine_apply(view->to_camera, (e.x_nm - dx_nm) / p, (e.y_nm - dy_nm) / p, &u, &v);
        e.x_nm = u * p;
        e.y_nm = v * p;
        mapped[m] = e;
    }
    if (spline) {
        render_spline_rows(optics, spline, plane, width, height, row0, row1, 0.0, 0.0, mapped,
                                  n, out);
        return;
    }
    /* A camera that magnifies by s (sqrt|det| of the affine's linear part) records PSFs s times as
     * wide in its pixels: w0 · s scales w(Δz) by s exactly. A rotation of an isotropic Gaussian is
     * the same Gaussian, so rotations are exact; a shear or unequal scales would make the PSF
     * slightly elliptic (about 1 % in real rigs), which this neglects. The plane's photons do not
     * change (the renderer integrates each pixel and divides by its area). */
    mumloc_optics scaled = *optics;
    if (scaled.per_plane) scaled.plane_psf[plane].w0_nm *= view->width_scale;
    else scaled.psf_w0_nm *= view->width_scale;
    render_plane_rows(&scaled, plane, width, height, row0, row1, depth, 0.0, 0.0, mapped, n,
                             out, scratch);
}
