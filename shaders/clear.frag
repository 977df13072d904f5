// Resets the pixels the stencil marks (those the last frame drew into) to the cleared state: radiance 0,
// coverage 0; the triangle lies on the far plane (fullscreen.vert with FULLSCREEN_Z 1), so a depth test
// of "always" writes depth far, and the stencil op zeroes the marks. No gl_FragDepth: writing it would
// turn off llvmpipe's early stencil test, which is what skips the unmarked pixels.
// Owner: viewer.render.targets.HDRTarget.clear.
#include "lib/output.glsl"

void main() {
    write_cleared();
}
