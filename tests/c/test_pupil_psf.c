/* The test simulator's pupil-function PSF (tools/pupil) against closed forms: the in-focus
 * unaberrated PSF of a low-NA objective is the Airy pattern (peak π NA²/λ² per photon, encircled
 * energy 1 − J0² − J1²), its Gaussian approximation has σ ≈ 0.21 λ/NA, and astigmatism makes the x and
 * y widths differ with opposite signs either side of focus. */
#define _XOPEN_SOURCE 700 /* j0, j1 */
#include <math.h>
#include <stdlib.h>

#include "../../tools/pupil/pupil_psf.h"
#include "check.h"

static const double PI = 3.14159265358979323846;

/* Unit-energy Airy pattern at radius r. */
static double airy(double na, double lambda, double r) {
    double v = 2.0 * PI * na * r / lambda;
    double f = v < 1e-9 ? 1.0 : 2.0 * j1(v) / v;
    return PI * na * na / (lambda * lambda) * f * f;
}

/* Least-squares σ of A·exp(−r²/2σ²) to the PSF on a fine grid (A solved in closed form for each σ,
 * golden-section search on σ). */
static double gaussian_fit_sigma(const double *I, const double *xs, int n) {
    double lo = 20.0, hi = 2000.0;
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    for (int it = 0; it < 80; it++) {
        double s[2] = {hi - g * (hi - lo), lo + g * (hi - lo)}, cost[2];
        for (int c = 0; c < 2; c++) {
            double gi = 0, gg = 0, ii = 0;
            for (int b = 0; b < n; b++)
                for (int a = 0; a < n; a++) {
                    double r2 = xs[a] * xs[a] + xs[b] * xs[b];
                    double m = exp(-r2 / (2 * s[c] * s[c])), v = I[b * n + a];
                    gi += m * v;
                    gg += m * m;
                    ii += v * v;
                }
            cost[c] = ii - gi * gi / gg;
        }
        if (cost[0] < cost[1]) hi = s[1];
        else lo = s[0];
    }
    return 0.5 * (lo + hi);
}

/* Second-moment widths (σx, σy) of the PSF over a window of ±half nm. */
static void moment_widths(const pupil_optics *o, const pupil_aberrations *ab, double dz, double half,
                          double *sx, double *sy) {
    enum { N = 61 };
    double xs[N], I[N * N];
    for (int a = 0; a < N; a++) xs[a] = -half + 2 * half * a / (N - 1);
    CHECK(pupil_intensity(o, ab, dz, xs, N, xs, N, I));
    double m = 0, mx = 0, my = 0, mxx = 0, myy = 0;
    for (int b = 0; b < N; b++)
        for (int a = 0; a < N; a++) {
            double v = I[b * N + a];
            m += v;
            mx += v * xs[a];
            my += v * xs[b];
            mxx += v * xs[a] * xs[a];
            myy += v * xs[b] * xs[b];
        }
    mx /= m;
    my /= m;
    *sx = sqrt(mxx / m - mx * mx);
    *sy = sqrt(myy / m - my * my);
}

int main(void) {
    pupil_optics o;
    pupil_optics_default(&o);
    pupil_aberrations none = {0};
    CHECK(pupil_optics_check(&o) == NULL);

    /* Low NA in air: the paraxial Airy pattern, to 2 % of its peak everywhere out to 3 rings. */
    o.na = 0.25;
    o.n = 1.0;
    o.wavelength_nm = 600.0;
    {
        enum { N = 41 };
        double xs[N], I[N * N], peak = airy(o.na, o.wavelength_nm, 0.0), worst = 0.0;
        for (int a = 0; a < N; a++) xs[a] = (a - N / 2) * 100.0; /* ±2000 nm, past the 2nd ring */
        CHECK(pupil_intensity(&o, &none, 0.0, xs, N, xs, N, I));
        for (int b = 0; b < N; b++)
            for (int a = 0; a < N; a++) {
                double r = hypot(xs[a], xs[b]);
                double e = fabs(I[b * N + a] - airy(o.na, o.wavelength_nm, r)) / peak;
                if (e > worst) worst = e;
            }
        printf("low NA: worst |pupil − Airy| = %.4f of the peak\n", worst);
        CHECK(worst < 0.02);
        /* Gaussian approximation (Zhang et al. 2007): σ ≈ 0.21 λ/NA. */
        double fs[N];
        for (int a = 0; a < N; a++) fs[a] = (a - N / 2) * 40.0;
        CHECK(pupil_intensity(&o, &none, 0.0, fs, N, fs, N, I));
        double sigma = gaussian_fit_sigma(I, fs, N), expect = 0.21 * o.wavelength_nm / o.na;
        printf("low NA: Gaussian fit σ = %.1f nm, 0.21 λ/NA = %.1f nm\n", sigma, expect);
        CHECK_NEAR(sigma / expect, 1.0, 0.05);
    }
    /* Pixel integration conserves photons: a square window of half-side h holds between the Airy
     * encircled energy of its inscribed and circumscribed circles. */
    {
        o.pixel_nm = 100.0;
        o.oversample = 6;
        enum { H = 12, N = 2 * H };
        double *px = malloc(sizeof(double) * N * N), sum = 0.0;
        CHECK(pupil_pixels(&o, &none, 0.0, 0.0, 0.0, -H, -H, N, N, px));
        for (int i = 0; i < N * N; i++) sum += px[i];
        double vin = 2 * PI * o.na * H * o.pixel_nm / o.wavelength_nm, vout = vin * sqrt(2.0);
        double ein = 1 - j0(vin) * j0(vin) - j1(vin) * j1(vin);
        double eout = 1 - j0(vout) * j0(vout) - j1(vout) * j1(vout);
        printf("pixels: window sum %.5f, Airy encircled energy %.5f .. %.5f\n", sum, ein, eout);
        CHECK(sum >= ein - 2e-3 && sum <= eout + 2e-3);
        /* The molecule's sub-pixel position moves the light, not the total: a shift of 37 nm. */
        double sum2 = 0.0;
        CHECK(pupil_pixels(&o, &none, 37.0, -21.0, 0.0, -H, -H, N, N, px));
        for (int i = 0; i < N * N; i++) sum2 += px[i];
        CHECK_NEAR(sum2, sum, 3e-3);
        free(px);
    }
    /* High NA oil objective: the in-focus Gaussian width is still close to 0.21 λ/NA (scalar,
     * aplanatic; the high-NA apodisation widens it a little). */
    pupil_optics_default(&o);
    {
        enum { N = 41 };
        double fs[N], I[N * N];
        for (int a = 0; a < N; a++) fs[a] = (a - N / 2) * 10.0;
        CHECK(pupil_intensity(&o, &none, 0.0, fs, N, fs, N, I));
        double sigma = gaussian_fit_sigma(I, fs, N), expect = 0.21 * o.wavelength_nm / o.na;
        printf("NA 1.4: Gaussian fit σ = %.1f nm, 0.21 λ/NA = %.1f nm\n", sigma, expect);
        CHECK_NEAR(sigma / expect, 1.0, 0.08);
    }
    /* Without aberrations the PSF is symmetric about focus; astigmatism makes σx − σy change sign
     * across focus; spherical aberration breaks the symmetry about focus. */
    {
        double sxp, syp, sxm, sym, sx0, sy0;
        moment_widths(&o, &none, 400.0, 600.0, &sxp, &syp);
        moment_widths(&o, &none, -400.0, 600.0, &sxm, &sym);
        CHECK_NEAR(sxp, sxm, 1e-6 * sxp);
        CHECK_NEAR(sxp, syp, 1e-6 * sxp);
        pupil_aberrations astig = {0};
        astig.astig_nm = 60.0;
        moment_widths(&o, &astig, 400.0, 600.0, &sxp, &syp);
        moment_widths(&o, &astig, -400.0, 600.0, &sxm, &sym);
        moment_widths(&o, &astig, 0.0, 600.0, &sx0, &sy0);
        printf("astigmatism 60 nm: σx − σy = %.1f nm at +400, %.1f at 0, %.1f at −400\n", sxp - syp,
               sx0 - sy0, sxm - sym);
        CHECK((sxp - syp) * (sxm - sym) < 0.0);
        CHECK(fabs(sxp - syp) > 20.0 && fabs(sxm - sym) > 20.0);
        CHECK(fabs(sx0 - sy0) < 0.2 * fabs(sxp - syp));
        pupil_aberrations sph = {0};
        sph.spherical_nm = 80.0;
        moment_widths(&o, &sph, 400.0, 600.0, &sxp, &syp);
        moment_widths(&o, &sph, -400.0, 600.0, &sxm, &sym);
        printf("spherical 80 nm: σ = %.1f nm at +400, %.1f at −400\n", sxp, sxm);
        CHECK(fabs(sxp - sxm) > 10.0);
    }
    return check_failures ? 1 : 0;
}
