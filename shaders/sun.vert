// A screen-space quad around the Sun's disc (sun.frag) or its glare (glare.frag), corners in NDC from
// the CPU. v_ray: the camera-frame ray (x right, y up, z = -1) through the point, unnormalised.
// Owner: viewer.render.passes.sun.SunPass and GlarePass.
attribute vec2 a_position;
uniform vec2 u_tan_half;  // tan(half horizontal fov), tan(half vertical fov)
varying vec3 v_ray;

void main() {
    v_ray = vec3(a_position * u_tan_half, -1.0);
    gl_Position = vec4(a_position, 0.0, 1.0);
}
