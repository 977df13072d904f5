// Final pass: linear HDR radiance -> exposure -> tone curve -> sRGB, with the supersampling resolve.
// Uniforms: u_hdr (float texture), u_texel (1/size of u_hdr), u_exposure_scale (2^EV), u_stretch.
// Variants (#define): SUPERSAMPLE 1|2, TONE_STRETCH. Owner: viewer.render.passes.tonemap.TonemapPass.
#include "lib/exposure.glsl"
#include "lib/output.glsl"

#ifndef SUPERSAMPLE
#define SUPERSAMPLE 1
#endif

uniform sampler2D u_hdr;
uniform vec2 u_texel;
uniform float u_exposure_scale;
uniform vec3 u_stretch;

void main() {
    // Whole texels only (u_hdr is nearest-filtered, coordinates from gl_FragCoord at texel centres):
    // exact, where a bilinear tap leaked ~1e-6 of the neighbours into black sky beside a bright limb,
    // which a strong stretch (EV +8, gamma 2.2) showed as a grey halo. SUPERSAMPLE 2 averages the
    // pixel's 2x2 block.
#if SUPERSAMPLE == 2
    vec2 c = floor(gl_FragCoord.xy) * 2.0 + 0.5;
    vec3 radiance = 0.25 * (texture2D(u_hdr, c * u_texel).rgb
                            + texture2D(u_hdr, (c + vec2(1.0, 0.0)) * u_texel).rgb
                            + texture2D(u_hdr, (c + vec2(0.0, 1.0)) * u_texel).rgb
                            + texture2D(u_hdr, (c + vec2(1.0, 1.0)) * u_texel).rgb);
#else
    vec3 radiance = texture2D(u_hdr, gl_FragCoord.xy * u_texel).rgb;
#endif
    vec3 x = radiance * u_exposure_scale;
#ifdef TONE_STRETCH
    vec3 display = tone_stretch(x, u_stretch);
#else
    vec3 display = tone_filmic(x);
#endif
    write_display(srgb_encode(display));
}
