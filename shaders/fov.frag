// A segment of JunoCam's field of view: anti-aliased by the pixel centre's distance to the segment
// (round ends), premultiplied "over", depth-tested (less, no writes) against the scene's log depth with
// the fragment pulled u_pull of its distance toward the camera, so a line on a surface is not hidden by
// that surface. Owner: viewer.render.passes.junocam.JunoCamPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"

uniform float u_half_width_px;
uniform float u_pull;

varying vec4 v_ends;
varying float v_depth_km;
varying vec3 v_colour;

void main() {
    vec2 d = v_ends.zw - v_ends.xy;
    vec2 q = gl_FragCoord.xy - v_ends.xy;
    float t = clamp(dot(q, d) / max(dot(d, d), 1e-12), 0.0, 1.0);
    float coverage = clamp(u_half_width_px + 0.5 - length(q - t * d), 0.0, 1.0);
    if (coverage <= 0.0) discard;
    gl_FragDepth = log_depth(v_depth_km * (1.0 - u_pull));
    write_radiance(v_colour, coverage);
}
