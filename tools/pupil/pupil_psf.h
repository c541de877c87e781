/* An independent PSF simulator for tests: the scalar pupil-function model of a widefield objective
 * (not mumloc's Gaussian model), so calibration and localization can be tried on images the Gaussian
 * model did not make. Not part of libmumloc: built into the `pupil_sim` tool and its tests only.
 *
 * Model (scalar, aplanatic): the pupil is sampled on an n × n grid of spatial frequencies k = (kx, ky)
 * inside the disc |k| ≤ 2π·NA/λ. Each sample carries amplitude cos(θ)^(-1/2) (aplanatic apodisation,
 * cos θ = kz/kn with kn = 2π·n/λ, kz = √(kn² − |k|²)) and phase
 *     kz · (z_molecule − z_plane)  +  (2π/λ) · W(ρ, φ),
 * W the wavefront error as Noll-normalised Zernike terms (nm RMS): astigmatism 0° (Z6, √6 ρ² cos 2φ),
 * astigmatism 45° (Z5, √6 ρ² sin 2φ), coma x (Z8, √8 (3ρ³ − 2ρ) cos φ), coma y (Z7, √8 (3ρ³ − 2ρ)
 * sin φ), primary spherical (Z11, √5 (6ρ⁴ − 6ρ² + 1)), ρ = |k| / (2π·NA/λ).
 * The field at lateral position r is E(r) = Σ_k P(k) e^{i k·r}; the intensity |E|² is normalised by
 * Parseval over the grid's period L = 2π/Δk, so it integrates to one photon over the plane. Pixels are
 * integrated by the midpoint rule on oversample × oversample points per pixel. */
#ifndef TOOLS_PUPIL_PSF_H
#define TOOLS_PUPIL_PSF_H

typedef struct pupil_aberrations {
    double astig_nm, astig45_nm, coma_x_nm, coma_y_nm, spherical_nm; /* Zernike RMS, nm */
} pupil_aberrations;

typedef struct pupil_optics {
    double na;            /* numerical aperture (< n) */
    double wavelength_nm; /* emission wavelength in vacuum */
    double n;             /* refractive index of the immersion and sample (matched) */
    double pixel_nm;      /* camera pixel in the sample */
    int pupil_samples;    /* pupil grid across the diameter (default 64) */
    int oversample;       /* midpoint points per pixel and axis (default 8) */
} pupil_optics;

void pupil_optics_default(pupil_optics *o);
/* NULL when valid, else a message naming the bad field. */
const char *pupil_optics_check(const pupil_optics *o);

/* Unit-normalised intensity (per nm², per photon) of a point source at lateral (0, 0), defocus
 * dz = z_molecule − z_plane, at the points (xs[a], ys[b]) → out[b · nx + a]. Returns 0 when out of
 * memory. */
int pupil_intensity(const pupil_optics *o, const pupil_aberrations *ab, double dz_nm,
                    const double *xs, int nx, const double *ys, int ny, double *out);

/* Photon fraction on camera pixels: columns i0 .. i0+nx−1, rows j0 .. j0+ny−1 (pixel i spans
 * [i·p, (i+1)·p)) for a molecule at (x, y) with defocus dz → out[b · nx + a]. Returns 0 when out of
 * memory. */
int pupil_pixels(const pupil_optics *o, const pupil_aberrations *ab, double x_nm, double y_nm,
                 double dz_nm, int i0, int j0, int nx, int ny, double *out);

#endif
