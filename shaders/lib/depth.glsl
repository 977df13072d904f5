// Logarithmic depth over 1 m ... 1e9 km in one frame (docs/architecture.md "Precision").
// depth = log2(1 + d/d0) / log2(1 + far/d0), d = distance along the view axis in km.
// numpy reference: viewer.render.camera.log_depth; uniforms: viewer.render.view.View.depth_uniforms().
#ifndef LIB_DEPTH_GLSL
#define LIB_DEPTH_GLSL

uniform float u_depth_d0_km;  // 1e-3 km
uniform float u_depth_scale;  // 1 / log2(1 + far/d0)

float log_depth(float view_distance_km) {
    return clamp(log2(1.0 + max(view_distance_km, 0.0) / u_depth_d0_km) * u_depth_scale, 0.0, 1.0);
}

#endif
