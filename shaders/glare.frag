// The Sun's glare over the 8-bit image, after the tone map: display-linear level
// u_level * exp(-t) * (1 - (t/u_reach)^2)^2, t = (r - u_disc_px) / u_scale_px, r the distance from the
// disc's centre in output pixels, times the part of the pixel no surface covers (1 - the HDR target's
// coverage, the 2x2 block's mean when SUPERSAMPLE is 2): it lies on the sky, never over a body in front.
// sRGB-encoded, composited with a "screen" blend (ONE, ONE_MINUS_SRC_COLOR).
// Owner: viewer.render.passes.sun.GlarePass (numpy twin: passes.sun.glare_profile).
#include "lib/exposure.glsl"
#include "lib/output.glsl"

uniform vec2 u_centre_px;   // the disc's centre, window coordinates (y up), output pixels
uniform float u_disc_px;    // the disc's radius, output pixels
uniform float u_scale_px;   // e-folding length, output pixels
uniform float u_level;      // display-linear level at the disc's edge (strength x peak)
uniform float u_reach;      // the glare ends u_reach e-folding lengths beyond the disc
uniform sampler2D u_hdr;    // the scene's HDR target (alpha: coverage), nearest-filtered
uniform vec2 u_texel;       // 1 / its size in texels

#ifndef SUPERSAMPLE
#define SUPERSAMPLE 1
#endif

// Coverage of this output pixel: its texel, or the mean of its 2x2 block (as tonemap.frag resolves).
float coverage() {
#if SUPERSAMPLE == 2
    vec2 c = floor(gl_FragCoord.xy) * 2.0 + 0.5;
    return 0.25 * (texture2D(u_hdr, c * u_texel).a + texture2D(u_hdr, (c + vec2(1.0, 0.0)) * u_texel).a
                   + texture2D(u_hdr, (c + vec2(0.0, 1.0)) * u_texel).a
                   + texture2D(u_hdr, (c + vec2(1.0, 1.0)) * u_texel).a);
#else
    return texture2D(u_hdr, gl_FragCoord.xy * u_texel).a;
#endif
}

varying vec3 v_ray;

void main() {
    float t = max(length(gl_FragCoord.xy - u_centre_px) - u_disc_px, 0.0) / u_scale_px;
    float taper = clamp(1.0 - (t / u_reach) * (t / u_reach), 0.0, 1.0);
    float g = u_level * exp(-t) * taper * taper * (1.0 - clamp(coverage(), 0.0, 1.0));
    if (g <= 0.0) discard;
    write_overlay(vec4(srgb_encode(vec3(g)), 0.0));
}
