// One triangle covering the viewport; v_uv runs 0..1 across it (GL orientation, v up).
// Inputs: a_position (the three corners (-1,-1), (3,-1), (-1,3)). Owner: viewer.render.passes.
// Variant: FULLSCREEN_Z, the triangle's NDC depth (default 0; 1 puts it on the far plane).
#ifndef FULLSCREEN_Z
#define FULLSCREEN_Z 0.0
#endif
attribute vec2 a_position;
varying vec2 v_uv;

void main() {
    v_uv = a_position * 0.5 + 0.5;
    gl_Position = vec4(a_position, FULLSCREEN_Z, 1.0);
}
