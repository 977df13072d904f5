// Ray-casting a triaxial ellipsoid (body frame, km) with analytic edge coverage.
// Owner: viewer.render.passes.bodies (numpy reference: viewer.render.passes.bodies.ray_ellipsoid).
#ifndef LIB_ELLIPSOID_GLSL
#define LIB_ELLIPSOID_GLSL

// Ray o + t d (body frame, km; d unnormalised) against x^2/a^2 + y^2/b^2 + z^2/c^2 = 1.
// In the scaled space where the ellipsoid is the unit sphere, p is the ray's point nearest the centre
// (stable for distant bodies, unlike the raw discriminant). Returns:
//   x: t of the hit (the near root) or, on a miss, of the nearest approach
//   y: m = |p| in scaled units (< 1 hit, 1 limb, > 1 miss)
vec2 ellipsoid_ray(vec3 o, vec3 d, vec3 inv_radii) {
    vec3 os = o * inv_radii;
    vec3 ds = d * inv_radii;
    float a = dot(ds, ds);
    float tc = -dot(os, ds) / a;
    vec3 p = os + tc * ds;
    float m2 = dot(p, p);
    float t = tc - sqrt(max(1.0 - m2, 0.0) / a);
    return vec2(t, sqrt(m2));
}

// The surface point (body frame, km) the pixel shows: the hit, or on a miss (edge pixels with partial
// coverage) the limb point nearest the ray.
vec3 ellipsoid_point(vec3 o, vec3 d, vec3 inv_radii, vec2 hit) {
    vec3 q = o * inv_radii + hit.x * d * inv_radii;
    if (hit.y > 1.0) q /= hit.y;
    return q / inv_radii;
}

// Outward unit normal at a surface point.
vec3 ellipsoid_normal(vec3 x, vec3 inv_radii) {
    return normalize(x * inv_radii * inv_radii);
}

// Fraction of the pixel covered: the limb (m = 1) anti-aliased over one pixel's change of m.
float ellipsoid_coverage(float m) {
    return clamp(0.5 + (1.0 - m) / max(fwidth(m), 1e-12), 0.0, 1.0);
}

#endif
