// A spacecraft mesh (Juno) posed in the camera frame; OpenGL camera axes (+x right, +y up, looking -z).
// Inputs: a_position (model units, metres for Juno), a_normal (model frame, unit), a_color (linear
// albedo). u_rotation (model -> camera frame, float64 on the CPU, sent float32), u_km_per_unit (1e-3 for
// metres), u_translation_km (model origin relative to the camera, camera frame), u_projection.
// The vertex coordinates stay small (metres) and the camera-relative translation is exact to float32,
// so precision holds from 1 m to 1e6 km. Owner: viewer.render.passes.spacecraft.SpacecraftPass.
attribute vec3 a_position;
attribute vec3 a_normal;
attribute vec3 a_color;

uniform mat3 u_rotation;
uniform float u_km_per_unit;
uniform vec3 u_translation_km;
uniform mat4 u_projection;

varying vec3 v_position_km;   // camera frame, km
varying vec3 v_normal;        // camera frame
varying vec3 v_model_normal;  // model frame (turned into each irradiance map's frame by the fragment)
varying vec3 v_color;         // linear albedo

void main() {
    v_position_km = u_rotation * (a_position * u_km_per_unit) + u_translation_km;
    v_normal = u_rotation * a_normal;
    v_model_normal = a_normal;
    v_color = a_color;
    gl_Position = u_projection * vec4(v_position_km, 1.0);
}
