// Eclipses: the fraction of the Sun's disc visible from a surface point past spherical occulters
// (Jupiter's shadow on the moons with its penumbra; the moons' shadows on Jupiter's clouds).
// numpy twin: viewer.sim.photometry.disc_overlap_fraction / sun_visible_fraction. An oblate occulter
// enters with its apparent radius toward the Sun computed exactly on the CPU (occulter_edge).
// Owner: viewer.render.passes.bodies.
#ifndef LIB_ECLIPSE_GLSL
#define LIB_ECLIPSE_GLSL

const float ECL_PI = 3.14159265358979;

// Angle between two vectors, accurate for small angles (atan2 of |cross| and dot, not acos).
float angle_between(vec3 a, vec3 b) {
    return atan(length(cross(a, b)), dot(a, b));
}

// Area of a circular segment of unit radius with sagitta u (0..2), i.e. acos(1-u) - (1-u)sqrt(2u-u^2).
// For small u a series (theta^3 terms) avoids the float32 cancellation of the exact form.
float segment_area_unit(float u) {
    u = clamp(u, 0.0, 2.0);
    if (u < 1e-3) {
        float th = sqrt(2.0 * u) * (1.0 + u / 12.0);
        return (2.0 / 3.0) * th * th * th - (2.0 / 15.0) * th * th * th * th * th;
    }
    return acos(1.0 - u) - (1.0 - u) * sqrt(max(2.0 * u - u * u, 0.0));
}

// Fraction of a disc of angular radius r covered by a disc of radius R whose centre is d away
// (radians, flat geometry: exact to ~1e-5 for the Sun's 0.05 deg disc). Written as the sum of the two
// circular segments cut by the common chord, with every difference of nearly equal numbers taken
// analytically (d - R first), so it holds in float32 when R/r ~ 350 (Jupiter seen from Io).
float disc_overlap_fraction(float r, float R, float d) {
    float dmr = d - R;
    if (dmr >= r) return 0.0;
    if (d <= r - R) return (R * R) / (r * r);
    if (dmr <= -r) return 1.0;
    float x1 = (dmr * (d + R) + r * r) / (2.0 * d);  // from the small disc's centre to the chord
    float h1 = r - x1;                                // sagittas of the two segments
    float h2 = x1 - dmr;
    float area = r * r * segment_area_unit(h1 / r) + R * R * segment_area_unit(h2 / R);
    return clamp(area / (ECL_PI * r * r), 0.0, 1.0);
}

// Visible fraction of the Sun (centre sun_km, radius sun_radius_km) from point p past one spheroid
// (centre occ_km, equatorial radius a_km, unit pole, polar radius c_km); one frame, km.
// The spheroid's outline is taken as an ellipse in angle: equatorial angular radius asin(a/d), polar
// atan(b'/sqrt(d^2 - a^2)) with b' = sqrt(c^2 cos^2 B + a^2 sin^2 B) (B: the observer's latitude over the
// occulter's equator), read at the position angle of the Sun's direction. A sphere is c = a.
float sun_fraction_past(vec3 p, vec3 sun_km, float sun_radius_km, vec3 occ_km, float a_km, vec3 pole,
                        float c_km) {
    vec3 to_sun = sun_km - p;
    vec3 to_occ = occ_km - p;
    float d = length(to_occ);
    if (dot(to_occ, to_sun) <= 0.0 || d <= a_km) return 1.0;  // occulter behind, or inside it
    vec3 u = to_occ / d;
    vec3 s = normalize(to_sun);
    vec3 perp = s - dot(s, u) * u;                 // the Sun's offset from the occulter, sky plane
    vec3 pole_sky = pole - dot(pole, u) * u;       // length cos B
    float cos_b2 = dot(pole_sky, pole_sky);
    float b_km = sqrt(c_km * c_km * cos_b2 + a_km * a_km * (1.0 - cos_b2));
    float ang_eq = asin(a_km / d);
    float ang_pol = atan(b_km / sqrt(max(d * d - a_km * a_km, 1e-6)));
    float lp = length(perp);
    float sin_psi = (lp > 0.0 && cos_b2 > 0.0) ? dot(perp / lp, pole_sky) / sqrt(cos_b2) : 0.0;
    float cos_psi2 = max(1.0 - sin_psi * sin_psi, 0.0);
    float r_occ = ang_eq * ang_pol / sqrt(ang_pol * ang_pol * cos_psi2 + ang_eq * ang_eq * sin_psi * sin_psi);
    float r_sun = asin(min(sun_radius_km / length(to_sun), 1.0));
    return 1.0 - disc_overlap_fraction(r_sun, r_occ, angle_between(to_sun, to_occ));
}

#endif
