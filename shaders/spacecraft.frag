// A spacecraft mesh lit by the Sun: L = albedo * (sun_fraction * max(0, n.s) + ambient), in the radiance
// unit of ARCHITECTURE.md "Radiometry" (1.0 = white Lambert surface facing the Sun). Two-sided: a
// fragment of a back face (thin panels, open shells) is lit with the normal of the side the camera sees.
// Writes the logarithmic depth of lib/depth.glsl. Owner: viewer.render.passes.spacecraft.SpacecraftPass.
#include "lib/output.glsl"
#include "lib/depth.glsl"

uniform vec3 u_sun_direction;     // unit vector from the spacecraft toward the Sun, camera frame
uniform float u_sun_fraction;     // visible fraction of the Sun's disc (eclipses), 1 in full sunlight
uniform vec3 u_ambient_radiance;  // irradiance from other sources as a radiance on white (Jupitershine)

varying vec3 v_position_km;
varying vec3 v_normal;
varying vec3 v_color;

void main() {
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) {
        n = -n;
    }
    float cos_i = max(dot(n, u_sun_direction), 0.0);
    vec3 radiance = v_color * (u_sun_fraction * cos_i + u_ambient_radiance);
    gl_FragDepth = log_depth(-v_position_km.z);
    write_radiance(radiance);
}
