// A label's (or a mark's ring's) quad over the 8-bit image: corners in NDC, texture coordinates 0..1
// (t = 0 at the image's top row). Owner: viewer.render.passes.labels.LabelsPass.
attribute vec2 a_position;
attribute vec2 a_uv;
varying vec2 v_uv;

void main() {
    v_uv = a_uv;
    gl_Position = vec4(a_position, 0.0, 1.0);
}
