// A trail's chord: an anti-aliased line of constant pixel width in linear radiance, over what is drawn
// (premultiplied "over", alpha = coverage x opacity), depth-tested against the bodies' and the
// spacecraft's logarithmic depth (lib/depth.glsl) without writing it. Coverage is exact in screen space:
// the distance from the pixel centre to the chord's two projected ends (constant varyings, so no
// perspective warp): chords meet edge to edge (each pixel drawn by one chord), terminal ends are
// square and centred on the end point.
// FUTURE (a define): dashed, DASHES_PER_SPAN dashes over the future span, opacity FUTURE_OPACITY.
// Owner: viewer.render.passes.trails.TrailsPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"

uniform vec3 u_radiance;       // the line's linear radiance (docs/architecture.md units)
uniform float u_half_width_px;
#ifdef FUTURE
uniform float u_dash_s;        // one dash and one gap, s
#endif

varying vec4 v_ends;
varying vec2 v_butt;
varying float v_depth_km;
varying float v_opacity;
varying float v_time_s;

void main() {
    vec2 d = v_ends.zw - v_ends.xy;
    float len = length(d);
    vec2 along = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    // Distances along the chord from each end, each measured from that end: an end far off screen
    // (a chord from Juno 50 m away to a sample 800 km back) has coordinates of ~1e7 px, where float32
    // keeps only ~1 px, and must not blur the other end.
    vec2 q0 = gl_FragCoord.xy - v_ends.xy;
    vec2 q1 = gl_FragCoord.xy - v_ends.zw;
    float a0 = dot(q0, along);  // >= 0 past end 0
    float a1 = dot(q1, along);  // < 0 before end 1
    // Where chords join, each pixel belongs to exactly one of them (half-open ranges along the chord):
    // overlapping caps would compound the opacity of a faded tail.
    if (v_butt.x < 0.5 && a0 < 0.0) discard;
    if (v_butt.y < 0.5 && a1 >= 0.0) discard;
    vec2 q = a0 < -a1 ? q0 : q1;  // from the nearer end
    float across = abs(q.x * along.y - q.y * along.x);
    float ends = (v_butt.x > 0.5 ? clamp(0.5 + a0, 0.0, 1.0) : 1.0)
               * (v_butt.y > 0.5 ? clamp(0.5 - a1, 0.0, 1.0) : 1.0);
    float coverage = clamp(u_half_width_px + 0.5 - across, 0.0, 1.0) * ends * v_opacity;
#ifdef FUTURE
    float s = v_time_s / u_dash_s;
    float ramp = max(fwidth(s), 1e-6);
    coverage *= clamp((0.5 - fract(s)) / ramp + 0.5, 0.0, 1.0) * clamp(fract(s) / ramp + 0.5, 0.0, 1.0);
#endif
    if (coverage <= 0.0) discard;
    gl_FragDepth = log_depth(v_depth_km);
    write_radiance(u_radiance, coverage);
}
