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
varying vec2 v_uv;

void main() {
    // At SUPERSAMPLE 2 v_uv falls on the shared corner of a 2x2 texel block, where one bilinear tap
    // is the box average of the four (u_hdr is linearly filtered); at 1 it is the texel centre.
    vec3 radiance = texture2D(u_hdr, v_uv).rgb;
    vec3 x = radiance * u_exposure_scale;
#ifdef TONE_STRETCH
    vec3 display = tone_stretch(x, u_stretch);
#else
    vec3 display = tone_filmic(x);
#endif
    write_display(srgb_encode(display));
}
