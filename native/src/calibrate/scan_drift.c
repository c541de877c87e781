/* The sample's lateral drift during the z scan. The stage moves every bead the same way, and every
 * camera sees that motion through its own linear map: bead b in camera d at slice i sits at
 * c_{d,b} + L_d s_i. Alternating weighted least squares for the drift s_i (all cameras and beads of
 * a slice together) and the drift-free centres c_{d,b}; the drift is fixed to mean 0 over the slices
 * that have data, which fixes one common origin for every camera. */
#include <math.h>
#include <stdlib.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

#define POSITION_FLOOR_PX 0.01 /* model error floor added to each fit's own precision */

static double weight(double s) { return 1.0 / (s * s + POSITION_FLOOR_PX * POSITION_FLOOR_PX); }

static void update_centres(cal_spot *const *spots, const int *const *present, int cameras,
                           int beads, int steps, const double (*L)[4], const double *drift,
                           double *const *centres) {
    for (int d = 0; d < cameras; d++)
        for (int b = 0; b < beads; b++) {
            double swx = 0, swy = 0, sx = 0, sy = 0;
            for (int i = 0; present[d][b] && i < steps; i++) {
                const cal_spot *p = &spots[d][(size_t)b * steps + i];
                if (!p->valid) continue;
                double mx = L[d][0] * drift[2 * i] + L[d][1] * drift[2 * i + 1];
                double my = L[d][2] * drift[2 * i] + L[d][3] * drift[2 * i + 1];
                double wx = weight(p->sx), wy = weight(p->sy);
                swx += wx;
                swy += wy;
                sx += wx * (p->x - mx);
                sy += wy * (p->y - my);
            }
            centres[d][2 * b] = swx > 0 ? sx / swx : NAN;
            centres[d][2 * b + 1] = swy > 0 ? sy / swy : NAN;
        }
}

mumloc_status cal_scan_drift(cal_spot *const *spots, const int *const *present, int cameras,
                             int beads, int steps, const double (*L)[4], double *drift,
                             double *const *centres) {
    int *has = malloc((size_t)steps * sizeof *has);
    if (!has) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the scan drift");
    for (int i = 0; i < 2 * steps; i++) drift[i] = 0;
    for (int outer = 0; outer < 3; outer++) {
        for (int it = 0; it < 40; it++) {
            update_centres(spots, present, cameras, beads, steps, L, drift, centres);
            double mean[2] = {0, 0}, change = 0;
            int with = 0;
            for (int i = 0; i < steps; i++) {
                double n[4] = {0, 0, 0, 0}, r[2] = {0, 0};
                for (int d = 0; d < cameras; d++)
                    for (int b = 0; b < beads; b++) {
                        if (!present[d][b]) continue;
                        const cal_spot *p = &spots[d][(size_t)b * steps + i];
                        if (!p->valid || !isfinite(centres[d][2 * b])) continue;
                        double wx = weight(p->sx), wy = weight(p->sy);
                        double ex = p->x - centres[d][2 * b], ey = p->y - centres[d][2 * b + 1];
                        const double *l = L[d];
                        /* normal equations of Σ w (e − L s)² */
                        n[0] += wx * l[0] * l[0] + wy * l[2] * l[2];
                        n[1] += wx * l[0] * l[1] + wy * l[2] * l[3];
                        n[3] += wx * l[1] * l[1] + wy * l[3] * l[3];
                        r[0] += wx * l[0] * ex + wy * l[2] * ey;
                        r[1] += wx * l[1] * ex + wy * l[3] * ey;
                    }
                n[2] = n[1];
                double det = n[0] * n[3] - n[1] * n[2];
                has[i] = det > 1e-12 * (n[0] * n[3] + 1e-300);
                double sx = has[i] ? (n[3] * r[0] - n[1] * r[1]) / det : 0;
                double sy = has[i] ? (n[0] * r[1] - n[2] * r[0]) / det : 0;
                change = fmax(change, fabs(sx - drift[2 * i]) + fabs(sy - drift[2 * i + 1]));
                drift[2 * i] = sx;
                drift[2 * i + 1] = sy;
                if (has[i]) {
                    mean[0] += sx;
                    mean[1] += sy;
                    with++;
                }
            }
            for (int i = 0; i < steps && with; i++)
                if (has[i]) {
                    drift[2 * i] -= mean[0] / with;
                    drift[2 * i + 1] -= mean[1] / with;
                }
            if (change < 1e-6) break;
        }
        update_centres(spots, present, cameras, beads, steps, L, drift, centres);
        /* Drop positions the model cannot explain (a neighbour in the window, a hot pixel). */
        int dropped = 0;
        for (int d = 0; d < cameras; d++)
            for (int b = 0; b < beads; b++)
                for (int i = 0; present[d][b] && i < steps; i++) {
                    cal_spot *p = &spots[d][(size_t)b * steps + i];
                    if (!p->valid) continue;
                    double mx = L[d][0] * drift[2 * i] + L[d][1] * drift[2 * i + 1];
                    double my = L[d][2] * drift[2 * i] + L[d][3] * drift[2 * i + 1];
                    double ex = (p->x - mx - centres[d][2 * b]) * sqrt(weight(p->sx));
                    double ey = (p->y - my - centres[d][2 * b + 1]) * sqrt(weight(p->sy));
                    if (fabs(ex) > 5.0 || fabs(ey) > 5.0) {
                        p->valid = 0;
                        dropped++;
                    }
                }
        if (!dropped) break;
    }
    free(has);
    return MUMLOC_OK;
}
