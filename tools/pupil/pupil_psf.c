/* The scalar pupil-function PSF (see pupil_psf.h). The field is a 2D sum over pupil samples,
 * separable in the output points: T[ky][x] = Σ_kx P[ky][kx] e^{i kx x}, then E[y][x] = Σ_ky e^{i ky y}
 * T[ky][x], so n points per axis cost O(N² n + N n²) instead of O(N² n²). */
#include "pupil_psf.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>

static const double PI = 3.14159265358979323846;

void pupil_optics_default(pupil_optics *o) {
    o->na = 1.4;
    o->wavelength_nm = 600.0;
    o->n = 1.518;
    o->pixel_nm = 192.0;
    o->pupil_samples = 64;
    o->oversample = 8;
}

const char *pupil_optics_check(const pupil_optics *o) {
    if (!(o->na > 0.0 && o->na < o->n)) return "--na must be above 0 and below --n";
    if (!(o->n >= 1.0 && o->n <= 3.0)) return "--n must be in [1, 3]";
    if (!(o->wavelength_nm >= 200.0 && o->wavelength_nm <= 2000.0))
        return "--wavelength must be in [200, 2000] nm";
    if (!(o->pixel_nm >= 10.0 && o->pixel_nm <= 10000.0)) return "--pixel must be in [10, 10000] nm";
    if (o->pupil_samples < 16 || o->pupil_samples > 512) return "--pupil-samples must be in [16, 512]";
    if (o->oversample < 1 || o->oversample > 64) return "--oversample must be in [1, 64]";
    return NULL;
}

/* Wavefront error W(ρ, φ) in nm from Noll-normalised Zernike RMS coefficients. */
static double wavefront_nm(const pupil_aberrations *ab, double rho, double cos_phi, double sin_phi) {
    double r2 = rho * rho;
    double cos2 = cos_phi * cos_phi - sin_phi * sin_phi, sin2 = 2.0 * sin_phi * cos_phi;
    double coma_r = sqrt(8.0) * (3.0 * r2 * rho - 2.0 * rho);
    return ab->astig_nm * sqrt(6.0) * r2 * cos2 + ab->astig45_nm * sqrt(6.0) * r2 * sin2 +
           ab->coma_x_nm * coma_r * cos_phi + ab->coma_y_nm * coma_r * sin_phi +
           ab->spherical_nm * sqrt(5.0) * (6.0 * r2 * r2 - 6.0 * r2 + 1.0);
}

int pupil_intensity(const pupil_optics *o, const pupil_aberrations *ab, double dz_nm,
                    const double *xs, int nx, const double *ys, int ny, double *out) {
    const int N = o->pupil_samples;
    const double kmax = 2.0 * PI * o->na / o->wavelength_nm, kn = 2.0 * PI * o->n / o->wavelength_nm;
    const double dk = 2.0 * kmax / N, k0 = 2.0 * PI / o->wavelength_nm;
    double complex *P = malloc((size_t)N * N * sizeof *P);
    double complex *ex = malloc((size_t)N * nx * sizeof *ex);
    double complex *ey = malloc((size_t)N * ny * sizeof *ey);
    double complex *T = malloc((size_t)N * nx * sizeof *T);
    double complex *E = malloc((size_t)nx * ny * sizeof *E);
    int ok = P && ex && ey && T && E;
    if (ok) {
        double power = 0.0;
        for (int v = 0; v < N; v++)
            for (int u = 0; u < N; u++) {
                double kx = (u - 0.5 * (N - 1)) * dk, ky = (v - 0.5 * (N - 1)) * dk;
                double kr = sqrt(kx * kx + ky * ky);
                double complex p = 0.0;
                if (kr <= kmax) {
                    double kz = sqrt(kn * kn - kr * kr);
                    double amp = 1.0 / sqrt(kz / kn);
                    double rho = kr / kmax;
                    double c = kr > 0 ? kx / kr : 1.0, s = kr > 0 ? ky / kr : 0.0;
                    double phase = kz * dz_nm + k0 * wavefront_nm(ab, rho, c, s);
                    p = amp * cexp(I * phase);
                    power += amp * amp;
                }
                P[(size_t)v * N + u] = p;
            }
        for (int u = 0; u < N; u++) {
            double k = (u - 0.5 * (N - 1)) * dk;
            for (int a = 0; a < nx; a++) ex[(size_t)u * nx + a] = cexp(I * k * xs[a]);
            for (int b = 0; b < ny; b++) ey[(size_t)u * ny + b] = cexp(I * k * ys[b]);
        }
        for (int v = 0; v < N; v++) {
            double complex *t = T + (size_t)v * nx;
            for (int a = 0; a < nx; a++) t[a] = 0.0;
            for (int u = 0; u < N; u++) {
                double complex p = P[(size_t)v * N + u];
                if (p == 0.0) continue;
                const double complex *e = ex + (size_t)u * nx;
                for (int a = 0; a < nx; a++) t[a] += p * e[a];
            }
        }
        for (size_t i = 0; i < (size_t)nx * ny; i++) E[i] = 0.0;
        for (int v = 0; v < N; v++) {
            const double complex *t = T + (size_t)v * nx;
            for (int b = 0; b < ny; b++) {
                double complex e = ey[(size_t)v * ny + b];
                double complex *row = E + (size_t)b * nx;
                for (int a = 0; a < nx; a++) row[a] += e * t[a];
            }
        }
        /* Parseval over one period L × L of the periodic field: ∫|E|² = L² Σ|P|². */
        double L = 2.0 * PI / dk;
        double norm = 1.0 / (L * L * power);
        for (size_t i = 0; i < (size_t)nx * ny; i++) {
            double re = creal(E[i]), im = cimag(E[i]);
            out[i] = (re * re + im * im) * norm;
        }
    }
    free(P);
    free(ex);
    free(ey);
    free(T);
    free(E);
    return ok;
}

int pupil_pixels(const pupil_optics *o, const pupil_aberrations *ab, double x_nm, double y_nm,
                 double dz_nm, int i0, int j0, int nx, int ny, double *out) {
    const int S = o->oversample;
    const double p = o->pixel_nm;
    int fx = nx * S, fy = ny * S;
    double *xs = malloc((size_t)fx * sizeof *xs), *ys = malloc((size_t)fy * sizeof *ys);
    double *fine = malloc((size_t)fx * fy * sizeof *fine);
    int ok = xs && ys && fine;
    if (ok) {
        for (int a = 0; a < fx; a++) xs[a] = (i0 + (a + 0.5) / S) * p - x_nm;
        for (int b = 0; b < fy; b++) ys[b] = (j0 + (b + 0.5) / S) * p - y_nm;
        ok = pupil_intensity(o, ab, dz_nm, xs, fx, ys, fy, fine);
    }
    if (ok) {
        /* midpoint rule: the mean intensity over the pixel's points times the pixel's area */
        const double w = p * p / ((double)S * S);
        for (int b = 0; b < ny; b++)
            for (int a = 0; a < nx; a++) {
                double sum = 0.0;
                for (int sb = 0; sb < S; sb++)
                    for (int sa = 0; sa < S; sa++) sum += fine[(size_t)(b * S + sb) * fx + a * S + sa];
                out[(size_t)b * nx + a] = sum * w;
            }
    }
    free(xs);
    free(ys);
    free(fine);
    return ok;
}
