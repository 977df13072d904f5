// Jupiter's stratospheric haze: a thin, exponentially stratified, single-scattering layer above the
// clouds. It dims the clouds near the limb a little, adds its own glow there (limb brightening), and
// shows as a thin bright rim just outside the limb. numpy twin and the figures' sources:
// viewer.sim.haze. Owner: viewer.render.passes.bodies (HAZE define of body.frag).
// Radiance unit: 1.0 = a white Lambert surface facing the Sun. Single scattering of an optically thin
// layer of vertical optical depth tau, single-scattering albedo w and phase function P (4 pi normalised)
// above a surface, lit at mu0 and seen at mu (Chandrasekhar 1960, Radiative Transfer, ch. I):
//     L_haze = (w P / 4) mu0 / (mu0 + mu) (1 - exp(-tau (1/mu0 + 1/mu))),
//     the surface's light is dimmed by exp(-tau (1/mu0 + 1/mu)).
// Near the horizon 1/mu is capped by the Chapman factor of a spherical shell.
#ifndef LIB_HAZE_GLSL
#define LIB_HAZE_GLSL

// u: (tau at low latitudes, tau at high latitudes, scale height km, w P / 4)
float haze_tau(vec3 n, vec4 u) {
    // |sin(latitude)| from 30 to 60 deg: the low-latitude compact particles give way to the polar
    // fractal aggregates (viewer.sim.haze).
    return mix(u.x, u.y, smoothstep(0.5, 0.8660254, abs(n.z)));
}

float haze_airmass(float mu, float chapman) {
    return 1.0 / max(mu, 1.0 / chapman);
}

// Over the disc: (transmission of the surface's light, haze radiance) at a surface point r_km from the
// centre; air masses capped by the one-sided Chapman factor sqrt(pi r / (2 H)).
vec2 haze_disc(float mu0, float mu, float tau, float r_km, vec4 u) {
    if (mu0 <= 0.0) return vec2(1.0, 0.0);  // the column above a night-side point is in shadow
    float chapman = sqrt(3.14159265 * r_km / (2.0 * u.z));
    float m0 = haze_airmass(mu0, chapman);
    float m = haze_airmass(mu, chapman);
    float ext = exp(-tau * (m0 + m));
    return vec2(ext, u.w * m / (m0 + m) * (1.0 - ext));
}

// Outside the limb: mean haze radiance over a pixel spanning tangent altitudes [h_lo, h_hi] km above
// the limb point (where the surface normal is n and the Sun at mu0), in four midpoint samples of the
// part of the span above the limb, as a fraction of the whole pixel.
float haze_limb(float h_lo, float h_hi, float mu0, float tau, float r_km, vec4 u) {
    float lo = max(h_lo, 0.0);
    if (h_hi <= lo) return 0.0;
    float H = u.z;
    float chapman_full = sqrt(2.0 * 3.14159265 * r_km / H);  // both halves of a tangent ray
    // Sunlight reaches the haze a little past the terminator (a shell at altitude h sees the Sun
    // to mu0 = -sqrt(2 h / r), ~ -0.03 at one scale height).
    float lit = smoothstep(-0.03, 0.01, mu0);
    float sum = 0.0;
    for (int i = 0; i < 4; ++i) {
        float h = lo + (float(i) + 0.5) * 0.25 * (h_hi - lo);
        float tau_h = tau * exp(-h / H);
        float t_sun = exp(-tau_h * haze_airmass(mu0, 0.5 * chapman_full));
        sum += (1.0 - exp(-tau_h * chapman_full)) * t_sun;
    }
    return lit * u.w * 0.25 * sum * (h_hi - lo) / max(h_hi - h_lo, 1e-6);
}

#endif
