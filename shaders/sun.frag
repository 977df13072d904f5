// The Sun's disc at its physical radiance with Neckel & Labs (1994) limb darkening, each pixel the mean
// over its square. DISC_MODE (viewer.render.passes.sun.disc_mode, from the disc's radius in pixels):
//   0 (large): one ray for pixels wholly inside the disc; where the limb crosses the pixel, the limb's
//      analytic coverage of the pixel times the law at the middle of the covered part;
//   1 (a few pixels): the same inside; LIMB_SAMPLES^2 rays spread over a pixel the limb crosses;
//   2 (under a pixel): the disc as a square of its area, u_square_px on a side, centred on u_centre_px,
//      at its mean radiance: each pixel gets its exact overlap, so the pixels sum to the disc's flux
//      wherever it falls on the grid (limb darkening is not resolved there anyway).
// Added over the stars (blend ONE, ONE; alpha 0), before the bodies, which then cover it. Radiance
// units: docs/architecture.md "Radiometry".
// Owner: viewer.render.passes.sun.SunPass (numpy twin: passes.sun.disc_radiance).
#include "lib/output.glsl"

#ifndef LIMB_SAMPLES
#define LIMB_SAMPLES 16
#endif
#ifndef DISC_MODE
#define DISC_MODE 0
#endif

uniform vec3 u_sun_dir;       // unit vector to the Sun's centre, camera frame
uniform vec3 u_e1;            // two unit vectors perpendicular to it
uniform vec3 u_e2;
uniform float u_tan_radius;   // tan of the Sun's angular radius seen from the camera
uniform vec2 u_ray_per_px;    // change of the camera-frame ray across one pixel in x and in y
uniform vec3 u_radiance;      // the disc-mean radiance / the channel's disc mean of I(mu)/I(1)
uniform vec3 u_ld[6];         // I(mu)/I(1) = sum_k u_ld[k] mu^k per channel (R, G, B)
uniform vec3 u_mean;          // DISC_MODE 2: the disc-mean radiance (R, G, B)
uniform vec2 u_centre_px;     // DISC_MODE 2: the disc's centre, window coordinates (render pixels)
uniform float u_square_px;    // DISC_MODE 2: side of the square of the disc's area, render pixels

varying vec3 v_ray;

// Gnomonic coordinates about the Sun's centre in units of the disc's radius: |q| < 1 inside the disc.
vec2 disc_coords(vec3 ray) {
    return vec2(dot(ray, u_e1), dot(ray, u_e2)) / (dot(ray, u_sun_dir) * u_tan_radius);
}

// I(mu)/I(1) per channel at disc coordinates q; 0 outside the disc. (On the tangent plane |q| = tan(rho)
// / tan(theta); mu = sqrt(1 - (sin rho / sin theta)^2) differs from sqrt(1 - |q|^2) by < theta^2 ~ 1e-6.)
vec3 intensity(vec2 q) {
    float r2 = dot(q, q);
    if (r2 >= 1.0) return vec3(0.0);
    float mu = sqrt(1.0 - r2);
    return u_ld[0] + mu * (u_ld[1] + mu * (u_ld[2] + mu * (u_ld[3] + mu * (u_ld[4] + mu * u_ld[5]))));
}

// Length of [c - a/2, c + a/2] inside [lo, lo + 1].
float overlap(float c, float a, float lo) {
    return max(0.0, min(c + 0.5 * a, lo + 1.0) - max(c - 0.5 * a, lo));
}

void main() {
#if DISC_MODE == 2
    vec2 lo = floor(gl_FragCoord.xy);
    float area = overlap(u_centre_px.x, u_square_px, lo.x) * overlap(u_centre_px.y, u_square_px, lo.y);
    if (area <= 0.0) discard;
    write_additive(u_mean * area);
#else
    vec2 q = disc_coords(v_ray);
    vec2 qx = disc_coords(v_ray + vec3(u_ray_per_px.x, 0.0, 0.0)) - q;
    vec2 qy = disc_coords(v_ray + vec3(0.0, u_ray_per_px.y, 0.0)) - q;
    float reach = 0.75 * (length(qx) + length(qy));  // beyond the pixel's half diagonal
    float r = length(q);
    if (r - reach >= 1.0) discard;
    vec3 sum;
    if (r + reach <= 1.0) {
        sum = intensity(q);
    } else {
#if DISC_MODE == 1
        sum = vec3(0.0);
        for (int i = 0; i < LIMB_SAMPLES; ++i) {
            for (int j = 0; j < LIMB_SAMPLES; ++j) {
                vec2 o = (vec2(float(i), float(j)) + 0.5) / float(LIMB_SAMPLES) - 0.5;
                vec3 ray = v_ray + vec3(o * u_ray_per_px, 0.0);
                sum += intensity(disc_coords(ray));
            }
        }
        sum /= float(LIMB_SAMPLES * LIMB_SAMPLES);
#else
        // The limb is nearly straight across the pixel: coverage ramps over one pixel's width (in disc
        // units) and the covered part reaches from r - pixel/2 to the limb.
        float pixel = 0.5 * (length(qx) + length(qy));
        float coverage = clamp(0.5 + (1.0 - r) / pixel, 0.0, 1.0);
        float middle = min(r, 0.5 * (r - 0.5 * pixel + 1.0));
        sum = coverage * intensity(q * (middle / max(r, 1e-12)));
#endif
    }
    if (dot(sum, sum) <= 0.0) discard;
    write_additive(u_radiance * sum);
#endif
}
