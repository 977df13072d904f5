// One straight segment of JunoCam's field of view (frustum edge or footprint) as a screen-space quad of
// constant pixel width: six vertices per segment, each carrying both ends (camera frame, km, clipped in
// front of the camera on the CPU) and its corner (end 0|1, side -1|+1).
// Owner: viewer.render.passes.junocam.JunoCamPass.
attribute vec3 a_p0;
attribute vec3 a_p1;
attribute vec2 a_corner;
attribute vec3 a_colour;         // radiance (docs/architecture.md units)

uniform mat4 u_projection;
uniform vec2 u_viewport_px;
uniform float u_half_width_px;

varying vec4 v_ends;             // window coordinates (px) of the two ends
varying float v_depth_km;        // distance along the view axis
varying vec3 v_colour;

void main() {
    vec4 c0 = u_projection * vec4(a_p0, 1.0);
    vec4 c1 = u_projection * vec4(a_p1, 1.0);
    vec2 s0 = (c0.xy / c0.w * 0.5 + 0.5) * u_viewport_px;
    vec2 s1 = (c1.xy / c1.w * 0.5 + 0.5) * u_viewport_px;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 along = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 across = vec2(-along.y, along.x);
    float reach = u_half_width_px + 1.0;    // the coverage ramp's pixel beyond the half width
    bool end1 = a_corner.x > 0.5;
    vec4 c = end1 ? c1 : c0;
    c.xy += (a_corner.y * reach * across + (end1 ? reach : -reach) * along) * 2.0 / u_viewport_px * c.w;
    gl_Position = c;
    v_ends = vec4(s0, s1);
    v_depth_km = end1 ? -a_p1.z : -a_p0.z;
    v_colour = a_colour;
}
