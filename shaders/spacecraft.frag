// A spacecraft mesh lit by the Sun, Jupitershine and Ioshine, every part a Lambert surface:
//   L = albedo * (sun_fraction * max(0, n.s) + E_shine(n) + ambient),
//   E_shine(n) = sum_i P_i c_J max(0, n.d_i) + sum_j Q_j c_Io max(0, n.e_j)
// in the radiance unit of docs/architecture.md "Radiometry" (1.0 = white Lambert surface facing the Sun).
// The Sun per fragment in the camera frame; E_shine (Jupiter's and Io's 48 directional lights each) is
// tabulated on the CPU over all normal directions of the model frame (an octahedral irradiance map of
// SHINE_SIZE x SHINE_SIZE samples, the map's edges included) and read here with one bilinear fetch:
// viewer.render.passes.spacecraft.shine_map and shine_map_lookup (its numpy twin). Two-sided: a
// fragment of a back face (thin panels, open shells) is lit with the normal of the side the camera
// sees. Writes the logarithmic depth of lib/depth.glsl.
// Owner: viewer.render.passes.spacecraft.SpacecraftPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"

// SHINE (a define from SpacecraftPass): compiled in only when Jupiter or Io lights the spacecraft.

uniform vec3 u_sun_direction;     // unit vector from the spacecraft toward the Sun, camera frame
uniform float u_sun_fraction;     // visible fraction of the Sun's disc (eclipses), 0 with the Sun off
uniform vec3 u_ambient_radiance;  // a radiance on white added everywhere (0 unless a caller sets it)
#ifdef SHINE
uniform sampler2D u_shine;        // E_shine (RGB, solar units) over model-frame normals, octahedral
#endif

varying vec3 v_position_km;
varying vec3 v_normal;
varying vec3 v_model_normal;
varying vec3 v_color;

void main() {
    float side = gl_FrontFacing ? 1.0 : -1.0;
    vec3 n = side * normalize(v_normal);
    vec3 irradiance = vec3(u_sun_fraction * max(dot(n, u_sun_direction), 0.0)) + u_ambient_radiance;
#ifdef SHINE
    // Octahedral coordinates of the model-frame normal: the upper hemisphere fills the diamond
    // |x| + |y| <= 1, the lower one folds out into the corners. Sample (i, j) sits at x = -1 + 2i/(N-1).
    vec3 m = side * v_model_normal;
    vec2 p = m.xy / (abs(m.x) + abs(m.y) + abs(m.z));
    if (m.z < 0.0) {
        vec2 sgn = vec2(p.x >= 0.0 ? 1.0 : -1.0, p.y >= 0.0 ? 1.0 : -1.0);
        p = (1.0 - abs(p.yx)) * sgn;
    }
    vec2 st = ((p * 0.5 + 0.5) * float(SHINE_SIZE - 1) + 0.5) / float(SHINE_SIZE);
    irradiance += texture2D(u_shine, st).rgb;
#endif
    gl_FragDepth = log_depth(-v_position_km.z);
    write_radiance(v_color * irradiance);
}
