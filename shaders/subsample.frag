// Copies every STRIDE-th texel (radiance and coverage) of a float texture (texel centres, so no
// filtering) for auto exposure.
// Uniforms: u_hdr, u_texel (1/size of u_hdr). Variant: STRIDE. Owner: viewer.render.passes.tonemap.
#include "lib/output.glsl"
#ifndef STRIDE
#define STRIDE 8
#endif

uniform sampler2D u_hdr;
uniform vec2 u_texel;

void main() {
    vec2 texel = floor(gl_FragCoord.xy) * float(STRIDE) + 0.5;
    vec4 hdr = texture2D(u_hdr, texel * u_texel);
    write_premultiplied(hdr.rgb, hdr.a);  // radiance as stored, coverage kept for auto exposure
}
