/* Host-side construction of the ziggurat tables (ziggurat_build.h; sampling is ziggurat.h). */
#include "simulate/ziggurat_build.h"

#include <math.h>

void ziggurat_build(ziggurat_table *z) {
    const double r = ZIGGURAT_R;
    const double f_r = exp(-0.5 * r * r);
    /* Area of each layer: the base rectangle up to R plus the tail ∫_R^∞ exp(−x²/2) dx. */
    const double area = r * f_r + 1.2533141373155003 /* sqrt(pi/2) */ * erfc(r / sqrt(2.0));
    z->x[0] = area / f_r;
    z->f[0] = f_r; /* the base layer's top is f(R); its "bottom" is 0 and not needed */
    z->x[1] = r;
    z->f[1] = f_r;
    for (int i = 1; i < ZIGGURAT_LAYERS - 1; i++) {
        /* Layer i has width x[i] and area `area`: its top is at f(x[i]) + area / x[i]. */
        double top = z->f[i] + area / z->x[i];
        z->x[i + 1] = sqrt(-2.0 * log(top));
        z->f[i + 1] = top;
    }
    z->x[ZIGGURAT_LAYERS] = 0.0;
    z->f[ZIGGURAT_LAYERS] = 1.0;
    for (int i = 0; i < ZIGGURAT_LAYERS; i++) z->scale[i] = z->x[i] / 16777216.0;
}
