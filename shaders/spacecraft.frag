// A spacecraft mesh lit by the Sun, Jupitershine and Ioshine, every part a Lambert surface:
//   L = albedo * (sun_fraction * max(0, n.s) + E_shine(n) + ambient),
//   E_shine(n) = sum_i P_i c_J max(0, n.d_i) + sum_j Q_j c_Io max(0, n.e_j)
// in the radiance unit of docs/architecture.md "Radiometry" (1.0 = white Lambert surface facing the Sun).
// The Sun per fragment in the camera frame. Each shine sum (Jupiter's and Io's 48 directional lights)
// is tabulated on the CPU over all normal directions of that source's frame (rows: toward the source's
// centre, its pole projected across that, their cross product; an octahedral irradiance map of
// SHINE_SIZE x SHINE_SIZE samples, the map's edges included) and read here with one bilinear fetch at
// the normal turned into that frame (u_shine_frame_*: model -> source frame, the attitude included):
// viewer.render.passes.spacecraft.shine_map and shine_lookup (its numpy twin). In the source frame the
// maps change slowly with time (they are mixed between time-grid nodes on the CPU) and the spacecraft's
// spin is this matrix alone. Two-sided: a fragment of a back face (thin panels, open shells) is lit with
// the normal of the side the camera sees. Writes the logarithmic depth of lib/depth.glsl.
// Owner: viewer.render.passes.spacecraft.SpacecraftPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"

// SHINE_J, SHINE_IO (defines from SpacecraftPass): Jupitershine, Ioshine compiled in only when they
// light the spacecraft.

uniform vec3 u_sun_direction;     // unit vector from the spacecraft toward the Sun, camera frame
uniform float u_sun_fraction;     // visible fraction of the Sun's disc (eclipses), 0 with the Sun off
uniform vec3 u_ambient_radiance;  // a radiance on white added everywhere (0 unless a caller sets it)
#ifdef SHINE_J
uniform sampler2D u_shine_j;      // Jupitershine (RGB, solar units) over normals of Jupiter's frame
uniform mat3 u_shine_frame_j;     // model frame -> Jupiter's frame
#endif
#ifdef SHINE_IO
uniform sampler2D u_shine_io;     // Ioshine, the same over normals of Io's frame
uniform mat3 u_shine_frame_io;    // model frame -> Io's frame
#endif

varying vec3 v_position_km;
varying vec3 v_normal;
varying vec3 v_model_normal;
varying vec3 v_color;

// Texture coordinates of a normal in an octahedral map: the upper hemisphere fills the diamond
// |x| + |y| <= 1, the lower one folds out into the corners. Sample (i, j) sits at x = -1 + 2i/(N-1).
vec2 octahedral_st(vec3 m) {
    vec2 p = m.xy / (abs(m.x) + abs(m.y) + abs(m.z));
    if (m.z < 0.0) {
        vec2 sgn = vec2(p.x >= 0.0 ? 1.0 : -1.0, p.y >= 0.0 ? 1.0 : -1.0);
        p = (1.0 - abs(p.yx)) * sgn;
    }
    return ((p * 0.5 + 0.5) * float(SHINE_SIZE - 1) + 0.5) / float(SHINE_SIZE);
}

void main() {
    float side = gl_FrontFacing ? 1.0 : -1.0;
    vec3 n = side * normalize(v_normal);
    vec3 irradiance = vec3(u_sun_fraction * max(dot(n, u_sun_direction), 0.0)) + u_ambient_radiance;
    vec3 m = side * v_model_normal;
#ifdef SHINE_J
    irradiance += texture2D(u_shine_j, octahedral_st(u_shine_frame_j * m)).rgb;
#endif
#ifdef SHINE_IO
    irradiance += texture2D(u_shine_io, octahedral_st(u_shine_frame_io * m)).rgb;
#endif
    gl_FragDepth = log_depth(-v_position_km.z);
    write_radiance(v_color * irradiance);
}
