// One ellipsoidal body (Jupiter, a Galilean moon), ray-cast per pixel: exact limb, analytic edge
// coverage, log depth, texture from its map, lit by the Sun through the body's reflectance law,
// shadowed by the other bodies, lit by Jupiter (moons), glowing where hot (Io), under a haze (Jupiter).
// Radiance units: docs/architecture.md "Radiometry" (1 = white Lambert surface facing the Sun).
// Owner: viewer.render.passes.bodies.BodiesPass, which sets the defines:
//   LAW 0 Lambert (Europa, Ganymede, Callisto), 1 Minnaert (Jupiter), 2 lunar-Lambert (Io)
//   OCCULTERS    how many other bodies may shadow this one now (0..4; 0 without --light eclipses)
//   JUPITERSHINE moons lit by Jupiter's lit disc (--light jupitershine)
//   HOTSPOTS     thermal emission map added (Io, --light hotspots)
//   EMISSION_IN_MAP  ... read from u_map's alpha (both maps of one size) instead of u_emission
//   HAZE         Jupiter's stratospheric haze over the disc and above the limb
//   DETAIL       detail below the map's resolution (lib/detail.glsl): albedo and relief, texel mean kept
// (vispy parses uniform array sizes itself: they must be literals.)
#include "lib/output.glsl"
#include "lib/depth.glsl"
#include "lib/ellipsoid.glsl"
#include "lib/mapcoords.glsl"
#include "lib/eclipse.glsl"
#include "lib/reflectance.glsl"
#include "lib/haze.glsl"
#ifdef DETAIL
#include "lib/detail.glsl"
#endif

#ifndef LAW
#define LAW 0
#endif

uniform mat3 u_cam_to_body;    // camera frame -> body-fixed frame
uniform vec3 u_origin_km;      // the camera in the body-fixed frame, relative to the body centre, km
uniform vec3 u_inv_radii;      // 1 / (a, b, c), 1/km
uniform vec3 u_sun_dir;        // unit vector to the Sun from the body centre, body-fixed frame
uniform sampler2D u_map;       // linear albedo map (relative), mipmapped
uniform float u_albedo_scale;  // map value -> normal albedo of the law (viewer.render.albedo)
uniform float u_sun_fraction;  // 1 with sunlight on, 0 with it off (--light without sun)
uniform vec3 u_sun_km;         // the Sun's centre, body-fixed frame relative to the body centre, km
uniform float u_sun_radius_km;
uniform vec3 u_law;            // LAW 1: (k, 0, 0); LAW 2: McEwen's L(alpha) cubic coefficients
#ifndef OCCULTERS
#define OCCULTERS 0
#endif
#if OCCULTERS > 0
uniform vec4 u_occulters[4];  // xyz centre (body frame, km), w equatorial radius, km
uniform vec4 u_occ_poles[4];  // xyz unit pole (body frame), w polar radius, km
#endif

#ifdef JUPITERSHINE
// Jupitershine: the lit, visible part of Jupiter's disc reduced to 48 directional lights on the CPU
// (viewer.sim.photometry.jupitershine_lights, at the body's centre): xyz unit direction (body frame),
// w irradiance (solar units). Exact for lights wholly above or below a surface element's horizon.
uniform vec4 u_js_lights[48];
uniform vec3 u_js_colour;      // Jupiter's map colour averaged over its lit, visible part (luminance 1)
uniform vec3 u_jupiter_km;     // Jupiter's centre, body frame relative to this body's centre, km
uniform vec3 u_js_axis;        // the lights' power-weighted mean direction (unit, body frame)
uniform float u_js_horizon;    // sine of the widest shining light's angle from u_js_axis (2: no skip)
#endif

#ifdef HOTSPOTS
#ifndef EMISSION_IN_MAP
uniform sampler2D u_emission;  // emission map value in [0, 1] (red channel), mipmapped
#endif
uniform vec3 u_emission_rgb;   // radiance of the value 1 in R, G, B (textures/README.md)
#endif

#ifdef HAZE
uniform vec4 u_haze;           // (tau low latitudes, tau high latitudes, scale height km, w P / 4)
#endif

varying vec3 v_ray;

#ifdef DETAIL
// The law's radiance at normal n tilted to ns, to first order: R + dR/dmu0 (ns - n).l + dR/dmu (ns - n).v.
// Linear in the tilt, so a texel whose tilts average to 0 keeps its mean radiance (the law at ns itself
// would darken rough texels by ~1 %, more toward the terminator); clamped at 0.
float reflectance_tilted(vec3 n, vec3 ns, vec3 l, vec3 v) {
    float mu0 = dot(n, l);
    if (mu0 <= 0.0) return 0.0;
    float mu = max(dot(n, v), 1e-4);
    float d0 = dot(ns - n, l);
    float d1 = dot(ns - n, v);
#if LAW == 1
    float k = u_law.x;
    float r = law_minnaert(mu0, mu, k);
    return max(r * (1.0 + k * d0 / mu0 + (k - 1.0) * d1 / mu), 0.0);
#elif LAW == 2
    float w = lunar_lambert_weight(dot(l, v), u_law);
    float s = mu0 + mu;
    float r = law_lunar_lambert_w(mu0, mu, w);
    return max(r + (2.0 * w * mu / (s * s) + 1.0 - w) * d0 - 2.0 * w * mu0 / (s * s) * d1, 0.0);
#else
    return max(mu0 + d0, 0.0);
#endif
}

// The shading normal with the detail's slope (dH/d east, dH/d south) added to first order, not
// renormalised: cosines change linearly with the slope, so they keep their mean over a texel.
// (Used as is for Jupitershine, whose second-order change is negligible beside its ~1 % of sunlight.)
vec3 detail_normal(vec3 n, vec3 x, vec2 slope) {
    vec3 east = normalize(vec3(-x.y, x.x, 0.0) + vec3(1e-30, 0.0, 0.0));
    vec3 north = cross(n, east);
    return n - slope.x * east + slope.y * north;
}
#endif

// The law's radiance for albedo 1 under unit light from direction l (unit, body frame).
float reflectance(vec3 n, vec3 l, vec3 v) {
    float mu0 = dot(n, l);
#if LAW == 1
    return law_minnaert(mu0, dot(n, v), u_law.x);
#elif LAW == 2
    return law_lunar_lambert(mu0, dot(n, v), dot(l, v), u_law);
#else
    return law_lambert(mu0);
#endif
}

void main() {
    vec3 d = u_cam_to_body * v_ray;
    vec2 hit = ellipsoid_ray(u_origin_km, d, u_inv_radii);
    float coverage = ellipsoid_coverage(hit.y);
    if (hit.x <= 0.0) discard;
#ifndef HAZE
    if (coverage <= 0.0) discard;
#endif
    vec3 x = ellipsoid_point(u_origin_km, d, u_inv_radii, hit);
    vec3 n = ellipsoid_normal(x, u_inv_radii);
    vec3 v = -normalize(d);
    vec3 st = map_coords(x);
    vec4 texel = map_texture(u_map, st);
    vec3 albedo = texel.rgb * u_albedo_scale;
    vec3 ns = n;  // the shading normal
#ifdef DETAIL
    {
        vec3 modulation;
        vec2 slope;
        // the pixel's footprint on the surface, km: its width at the hit's depth over the cosine of
        // the emission angle (the long axis)
        float mu = max(dot(n, v), 0.05);
        detail(st.xz, (0.5 - st.z) * MAP_PI, hit.x * u_dt_scale.y / mu, modulation, slope);
        albedo *= modulation;
        ns = detail_normal(n, x, slope);
    }
#endif
    float sunlit = u_sun_fraction;
#if OCCULTERS > 0
    for (int i = 0; i < OCCULTERS; ++i) {
        sunlit *= sun_fraction_past(x, u_sun_km, u_sun_radius_km, u_occulters[i].xyz, u_occulters[i].w,
                                    u_occ_poles[i].xyz, u_occ_poles[i].w);
    }
#endif
#ifdef DETAIL
    float r_sun = reflectance_tilted(n, ns, u_sun_dir, v);
#else
    float r_sun = reflectance(n, u_sun_dir, v);
#endif
    vec3 radiance = albedo * (r_sun * sunlit);
#ifdef JUPITERSHINE
    float e_js = 0.0;
    // Where every light is below the horizon (n.axis <= -sin of the widest light's angle from the
    // axis) the sum is 0 exactly: such pixels run no iteration. (llvmpipe runs both sides of an if for
    // a group of pixels, but leaves a loop as soon as none of them goes on.)
    int js_count = dot(n, u_js_axis) > -u_js_horizon ? 48 : 0;
#if LAW == 2
    // McEwen's weight at the phase angle of Jupiter's lit disc as a whole: one acos per pixel, not 48
    // (L(alpha) is nearly linear across Jupiter's 19.5 deg; tested against the per-sample integral).
    float w_js = lunar_lambert_weight(dot(u_js_axis, v), u_law);
    float mu_v = dot(ns, v);
    for (int i = 0; i < 48; ++i) {
        if (i >= js_count) break;
        e_js += u_js_lights[i].w * law_lunar_lambert_w(dot(ns, u_js_lights[i].xyz), mu_v, w_js);
    }
#else
    for (int i = 0; i < 48; ++i) {
        if (i >= js_count) break;
        e_js += u_js_lights[i].w * reflectance(ns, u_js_lights[i].xyz, v);
    }
#endif
    // The lights were computed at the centre: scale to this point's distance from Jupiter.
    float dc = length(u_jupiter_km);
    float dp = length(u_jupiter_km - x);
    radiance += albedo * u_js_colour * e_js * (dc * dc) / (dp * dp);
#endif
#ifdef HOTSPOTS
#ifdef EMISSION_IN_MAP
    radiance += texel.a * u_emission_rgb;
#else
    radiance += map_texture(u_emission, st).r * u_emission_rgb;
#endif
#endif
    vec3 premultiplied = radiance * coverage;
#ifdef HAZE
    // Clouds seen through the haze, the haze's own light over the disc, and the rim above the limb.
    float mu0 = dot(n, u_sun_dir);
    float tau = haze_tau(n, u_haze);
    float r_km = length(x);
    vec2 disc = haze_disc(mu0, dot(n, v), tau, r_km, u_haze);
    premultiplied = (radiance * disc.x + disc.y * sunlit) * coverage;
    float fw = max(fwidth(hit.y), 1e-12);
    float rim = haze_limb((hit.y - 0.5 * fw - 1.0) * r_km, (hit.y + 0.5 * fw - 1.0) * r_km, mu0, tau,
                          r_km, u_haze);
    premultiplied += vec3(rim * u_sun_fraction);
    if (coverage <= 0.0 && rim < 1e-9) discard;
#endif
    gl_FragDepth = log_depth(hit.x);
    write_premultiplied(premultiplied, coverage);
}
