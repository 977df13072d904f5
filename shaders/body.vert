// A screen-space quad around one ellipsoidal body; body.frag ray-casts the ellipsoid per pixel.
// Inputs: a_position (quad corners in NDC, computed on the CPU to bound the body's silhouette).
// v_ray: camera-frame ray direction (x right, y up, z = -1), unnormalised, so the ray parameter t
// of a hit is its distance along the view axis in km. Owner: viewer.render.passes.bodies.
attribute vec2 a_position;
uniform vec2 u_tan_half;  // tan(half horizontal fov), tan(half vertical fov)
varying vec3 v_ray;

void main() {
    v_ray = vec3(a_position * u_tan_half, -1.0);
    gl_Position = vec4(a_position, 0.0, 1.0);
}
