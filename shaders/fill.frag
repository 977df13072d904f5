// Writes one constant radiance everywhere (capability probe of float targets, tests).
// Uniforms: u_radiance. Owner: viewer.render.context.GLContext.
#include "lib/output.glsl"

uniform vec3 u_radiance;
void main() {
    write_radiance(u_radiance);
}
