// One ellipsoidal body (Jupiter, a Galilean moon), ray-cast per pixel: exact limb, analytic edge
// coverage, log depth, texture from its map, lit by the Sun with a calibrated Lambert law.
// Radiance units: ARCHITECTURE.md "Radiometry" (1 = white Lambert surface facing the Sun).
// Owner: viewer.render.passes.bodies.BodiesPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"
#include "lib/ellipsoid.glsl"
#include "lib/mapcoords.glsl"
#include "lib/eclipse.glsl"

// ECLIPSES (a define from BodiesPass, off with --light without eclipses): the other four bodies may
// shadow this one. (vispy parses uniform array sizes itself: they must be literals.)

uniform mat3 u_cam_to_body;    // camera frame -> body-fixed frame
uniform vec3 u_origin_km;      // the camera in the body-fixed frame, relative to the body centre, km
uniform vec3 u_inv_radii;      // 1 / (a, b, c), 1/km
uniform vec3 u_sun_dir;        // unit vector to the Sun from the body centre, body-fixed frame
uniform sampler2D u_map;       // linear albedo map (relative), mipmapped
uniform float u_albedo_scale;  // map value -> normal albedo (viewer.render.albedo)
uniform float u_sun_fraction;  // 1 with sunlight on, 0 with it off (--light without sun)
uniform vec3 u_sun_km;         // the Sun's centre, body-fixed frame relative to the body centre, km
uniform float u_sun_radius_km;
#ifdef ECLIPSES
uniform vec4 u_occulters[4];  // xyz centre (body frame, km), w equatorial radius, km
uniform vec4 u_occ_poles[4];  // xyz unit pole (body frame), w polar radius, km
#endif

#ifdef JUPITERSHINE
// Jupitershine: the lit, visible part of Jupiter's disc reduced to 48 directional lights on the CPU
// (viewer.sim.photometry.jupitershine_lights, at the body's centre): xyz unit direction (body frame),
// w irradiance (solar units). Exact for lights wholly above or below a surface element's horizon.
uniform vec4 u_js_lights[48];
uniform vec3 u_js_colour;      // Jupiter's mean linear colour, Rec. 709 luminance 1
uniform vec3 u_jupiter_km;     // Jupiter's centre, body frame relative to this body's centre, km
#endif

varying vec3 v_ray;

void main() {
    vec3 d = u_cam_to_body * v_ray;
    vec2 hit = ellipsoid_ray(u_origin_km, d, u_inv_radii);
    float coverage = ellipsoid_coverage(hit.y);
    if (coverage <= 0.0 || hit.x <= 0.0) discard;
    vec3 x = ellipsoid_point(u_origin_km, d, u_inv_radii, hit);
    vec3 n = ellipsoid_normal(x, u_inv_radii);
    vec3 albedo = texture2D(u_map, map_coords(x)).rgb * u_albedo_scale;
    float mu0 = max(dot(n, u_sun_dir), 0.0);
    float sunlit = u_sun_fraction;
#ifdef ECLIPSES
    for (int i = 0; i < 4; ++i) {
        sunlit *= sun_fraction_past(x, u_sun_km, u_sun_radius_km, u_occulters[i].xyz, u_occulters[i].w,
                                    u_occ_poles[i].xyz, u_occ_poles[i].w);
    }
#endif
    vec3 radiance = albedo * mu0 * sunlit;
#ifdef JUPITERSHINE
    float e_js = 0.0;
    for (int i = 0; i < 48; ++i) {
        e_js += u_js_lights[i].w * max(dot(n, u_js_lights[i].xyz), 0.0);
    }
    // The lights were computed at the centre: scale to this point's distance from Jupiter.
    float dc = length(u_jupiter_km);
    float dp = length(u_jupiter_km - x);
    radiance += albedo * u_js_colour * e_js * (dc * dc) / (dp * dp);
#endif
    gl_FragDepth = log_depth(hit.x);
    write_radiance(radiance, coverage);
}
