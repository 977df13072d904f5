// One chord of a trail as a screen-space quad of constant pixel width (no geometry shader: every vertex
// carries both ends of its chord). Owner: viewer.render.passes.trails.TrailsPass.
//
// Precision: the chord ends are positions relative to the trail's frame body (km, J2000 axes) split in
// two floats, hi = float(p) and lo = float(p - hi); u_camera_hi/lo is the camera's position relative
// to that body's *current* centre, split the same way (float64 on the CPU). (hi - c_hi) is exact when
// the point is near the camera (Sterbenz), so the camera-relative position keeps ~1e-8 km wherever it
// matters, from 20 m from Juno to 1e7 km out. The chord holding u_et is cut at the body's exact
// current position (u_head, camera frame, set by the CPU), so the head is exactly at the body.
//
// PAST (the default) draws chords from the tail cut (u_cut, at et - past) to the head, opacity falling
// linearly with age to 0 at the tail; FUTURE (a define) draws from the head to the cut at et + future.
// Everything else collapses outside the clip volume.
attribute vec3 a_p0_hi;   // chord start, relative to the frame body, J2000 km: high float
attribute vec3 a_p0_lo;   // ... and the remainder
attribute vec3 a_p1_hi;   // chord end
attribute vec3 a_p1_lo;
attribute vec2 a_time_s;  // times of the chord's ends, s after the trail's epoch
attribute float a_index;  // the chord's index, 0 .. u_last_index
attribute vec2 a_corner;  // (end 0 or 1, side -1 or +1)

uniform vec3 u_camera_hi;     // camera relative to the frame body's current centre, J2000 km, split
uniform vec3 u_camera_lo;
uniform mat3 u_to_camera;     // J2000 -> camera frame
uniform mat4 u_projection;
uniform vec2 u_viewport_px;   // render target size, pixels
uniform float u_half_width_px;
uniform float u_near_km;      // chords are clipped in front of this depth
uniform float u_last_index;
uniform float u_head_index;   // the chord holding et (-1: none before et)
uniform vec4 u_head;          // the body now: camera frame km, time s after the epoch
uniform float u_cut_index;    // the chord holding the span's far end
uniform vec4 u_cut;           // that end: camera frame km, time
uniform float u_et_s;         // now, s after the epoch
uniform float u_span_s;       // the past (or, FUTURE, the future) span, s

varying vec4 v_ends;          // window coordinates (px) of the chord's two ends, constant over the quad
varying vec2 v_butt;          // 1 where an end is a terminal end (cut square), 0 where it joins a chord
varying float v_depth_km;     // distance along the view axis
varying float v_opacity;      // fade with age (PAST) or the future's level (FUTURE)
varying float v_time_s;       // for the future's dashes

bool same(float a, float b) {
    return abs(a - b) < 0.5;
}

void main() {
    vec3 p0 = u_to_camera * ((a_p0_hi - u_camera_hi) + (a_p0_lo - u_camera_lo));
    vec3 p1 = u_to_camera * ((a_p1_hi - u_camera_hi) + (a_p1_lo - u_camera_lo));
    float t0 = a_time_s.x;
    float t1 = a_time_s.y;
    float butt0 = a_index < 0.5 ? 1.0 : 0.0;
    float butt1 = a_index > u_last_index - 0.5 ? 1.0 : 0.0;
#ifdef FUTURE
    bool shown = a_index > u_head_index - 0.5 && a_index < u_cut_index + 0.5;
    if (same(a_index, u_head_index)) { p0 = u_head.xyz; t0 = u_head.w; butt0 = 1.0; }
    if (same(a_index, u_cut_index)) { p1 = u_cut.xyz; t1 = u_cut.w; butt1 = 1.0; }
#else
    bool shown = a_index > u_cut_index - 0.5 && a_index < u_head_index + 0.5;
    if (same(a_index, u_cut_index)) { p0 = u_cut.xyz; t0 = u_cut.w; butt0 = 1.0; }
    if (same(a_index, u_head_index)) { p1 = u_head.xyz; t1 = u_head.w; butt1 = 1.0; }
#endif
    // Clip the chord in front of the camera, so both ends project.
    float z0 = -p0.z;
    float z1 = -p1.z;
    if (z0 < u_near_km && z1 < u_near_km) {
        shown = false;
    } else if (z0 < u_near_km) {
        float f = (u_near_km - z0) / (z1 - z0);
        p0 = mix(p0, p1, f); t0 = mix(t0, t1, f); z0 = u_near_km; butt0 = 0.0;
    } else if (z1 < u_near_km) {
        float f = (u_near_km - z1) / (z0 - z1);
        p1 = mix(p1, p0, f); t1 = mix(t1, t0, f); z1 = u_near_km; butt1 = 0.0;
    }
    if (!shown) {
        gl_Position = vec4(0.0, 0.0, 2.0, 1.0);  // outside the clip volume
        v_ends = vec4(0.0); v_butt = vec2(0.0); v_depth_km = 0.0; v_opacity = 0.0; v_time_s = 0.0;
        return;
    }
    vec4 c0 = u_projection * vec4(p0, 1.0);
    vec4 c1 = u_projection * vec4(p1, 1.0);
    vec2 s0 = (c0.xy / c0.w * 0.5 + 0.5) * u_viewport_px;
    vec2 s1 = (c1.xy / c1.w * 0.5 + 0.5) * u_viewport_px;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 along = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 across = vec2(-along.y, along.x);
    // The quad reaches the line's half width plus one pixel for the coverage ramp, beyond both ends too
    // (round joins; terminal ends are cut square in the fragment shader).
    float reach = u_half_width_px + 1.0;
    bool at_end1 = a_corner.x > 0.5;
    vec4 c = at_end1 ? c1 : c0;
    vec2 offset_px = a_corner.y * reach * across + (at_end1 ? reach : -reach) * along;
    c.xy += offset_px * 2.0 / u_viewport_px * c.w;
    gl_Position = c;
    v_ends = vec4(s0, s1);
    v_butt = vec2(butt0, butt1);
    v_depth_km = at_end1 ? z1 : z0;
    float t = at_end1 ? t1 : t0;
    v_time_s = t;
#ifdef FUTURE
    v_opacity = FUTURE_OPACITY;
#else
    v_opacity = clamp(1.0 - (u_et_s - t) / u_span_s, 0.0, 1.0);
#endif
}
