// A label's texel: text rasterised on the CPU (viewer.render.passes.labels.rasterize), display-encoded
// and premultiplied, drawn 1:1 (nearest) over the 8-bit image with premultiplied "over" blending.
// Owner: viewer.render.passes.labels.LabelsPass.
#include "lib/output.glsl"

uniform sampler2D u_texture;
varying vec2 v_uv;

void main() {
    vec4 texel = texture2D(u_texture, v_uv);
    if (texel.a <= 0.0) discard;
    write_overlay(texel);
}
