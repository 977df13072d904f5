// The 8-bit image the tone map made (display-encoded sRGB), copied onto the window: one texel per
// pixel when the image has the window's size (the texture sampled at texel centres, nearest), scaled
// with bilinear filtering while the window is being resized.
// Uniforms: u_image. Owner: viewer.render.passes.present.PresentPass.
#include "lib/output.glsl"

uniform sampler2D u_image;
varying vec2 v_uv;

void main() {
    write_display(texture2D(u_image, v_uv).rgb);
}
