// Surface reflectance laws in the renderer's radiance unit: the radiance of a surface of normal albedo 1
// under unit sunlight (1.0 = a white Lambert surface facing the Sun), mu0 = cos(incidence),
// mu = cos(emission), cos_alpha = cos(phase angle). numpy twins: viewer.sim.photometry
// (minnaert_radiance, io_reflectance). Owner: viewer.render.passes.bodies (LAW define of body.frag).
#ifndef LIB_REFLECTANCE_GLSL
#define LIB_REFLECTANCE_GLSL

// Lambert: mu0.
float law_lambert(float mu0) {
    return max(mu0, 0.0);
}

// Minnaert (Jupiter's limb darkening): mu0^k mu^(k-1). mu is floored at 1e-4: the nearest-limb point of
// an edge pixel may sit a hair behind the limb, and mu^(k-1) grows without bound there for k < 1.
float law_minnaert(float mu0, float mu, float k) {
    if (mu0 <= 0.0) return 0.0;
    return pow(mu0, k) * pow(max(mu, 1e-4), k - 1.0);
}

// McEwen's (1991) lunar-Lambert weight L(alpha) = 1 + c.x a + c.y a^2 + c.z a^3 (a in degrees), clipped
// to [0, 1].
float lunar_lambert_weight(float cos_alpha, vec3 c) {
    float a = degrees(acos(clamp(cos_alpha, -1.0, 1.0)));
    return clamp(1.0 + a * (c.x + a * (c.y + a * c.z)), 0.0, 1.0);
}

// The lunar-Lambert law with its weight w given: 2 w mu0 / (mu0 + mu) + (1 - w) mu0.
float law_lunar_lambert_w(float mu0, float mu, float w) {
    if (mu0 <= 0.0) return 0.0;
    float m = max(mu, 1e-4);
    return 2.0 * w * mu0 / (mu0 + m) + (1.0 - w) * mu0;
}

// McEwen's (1991) lunar-Lambert law for Io at phase angle acos(cos_alpha).
float law_lunar_lambert(float mu0, float mu, float cos_alpha, vec3 c) {
    return law_lunar_lambert_w(mu0, mu, lunar_lambert_weight(cos_alpha, c));
}

#endif
