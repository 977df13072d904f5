// The one exit of every fragment stage (like OpenSpace's getFragment()): HDR output and debug views.
// Scene passes call write_radiance(); only the final pass (tonemap.frag) calls write_display().
// Owner: viewer.render.shaders (DEBUG_VIEW comes from the #define block; see shaders/README.md).
#ifndef LIB_OUTPUT_GLSL
#define LIB_OUTPUT_GLSL

// 0: radiance as is; 1: false colour of log2(luminance), blue 2^-10 to red 2^2; 2: invalid values
// (NaN magenta, +-Inf yellow, negative cyan, valid: grey luminance); 3: coverage as grey
#ifndef DEBUG_VIEW
#define DEBUG_VIEW 0
#endif

float output_luminance(vec3 radiance) {
    return dot(radiance, vec3(0.2126, 0.7152, 0.0722));  // Rec. 709, as viewer.render.exposure.LUMA
}

vec3 output_debug(vec3 radiance, float coverage) {
#if DEBUG_VIEW == 1
    float t = clamp((log2(max(output_luminance(radiance), 1e-12)) + 10.0) / 12.0, 0.0, 1.0);
    return clamp(vec3(1.5 - abs(4.0 * t - 3.0), 1.5 - abs(4.0 * t - 2.0), 1.5 - abs(4.0 * t - 1.0)),
                 0.0, 1.0) * 0.18 / 0.5;
#elif DEBUG_VIEW == 2
    bvec3 nan = notEqual(radiance, radiance);
    if (any(nan)) return vec3(1.0, 0.0, 1.0);
    if (any(greaterThan(abs(radiance), vec3(3.0e38)))) return vec3(1.0, 1.0, 0.0);
    if (any(lessThan(radiance, vec3(0.0)))) return vec3(0.0, 1.0, 1.0);
    return vec3(output_luminance(radiance));
#elif DEBUG_VIEW == 3
    return vec3(coverage * 0.18);
#else
    return radiance;
#endif
}

// Linear radiance (units: docs/architecture.md "Radiometry"), premultiplied by the pixel's coverage
// in [0, 1] (analytic edge anti-aliasing; 1.0 inside a surface). Alpha carries the coverage.
void write_radiance(vec3 radiance, float coverage) {
    gl_FragColor = vec4(output_debug(radiance, coverage) * coverage, coverage);
}

// Already premultiplied light of a pixel whose surface covers `coverage` of it, plus light from outside
// the surface (Jupiter's limb haze) that covers nothing behind it.
void write_premultiplied(vec3 premultiplied, float coverage) {
    gl_FragColor = vec4(output_debug(premultiplied, coverage), coverage);
}

void write_radiance(vec3 radiance) {
    write_radiance(radiance, 1.0);
}

// Light added on top of what is there (blend ONE, ONE), e.g. stars: alpha 0, so it never counts as
// coverage and a surface drawn later (coverage 1) replaces it.
void write_additive(vec3 radiance) {
    gl_FragColor = vec4(output_debug(radiance, 1.0), 0.0);
}

// The cleared state of an HDR pixel: no radiance, no coverage (HDRTarget.clear's masked reset).
void write_cleared() {
    gl_FragColor = vec4(0.0);
}

// Display-encoded (sRGB) colour premultiplied by its opacity (alpha), drawn over the 8-bit image after
// the tone map: the overlays (labels, the Sun's glare), never light in the scene.
void write_overlay(vec4 premultiplied) {
    gl_FragColor = clamp(premultiplied, 0.0, 1.0);
}

// Four bytes of a packed 8-bit target (values in [0, 1], one byte each), not light: the export's video
// planes (yuv420.frag).
void write_packed(vec4 bytes) {
    gl_FragColor = clamp(bytes, 0.0, 1.0);
}

// Display-encoded colour in [0, 1] (sRGB), for the final pass into the 8-bit target.
void write_display(vec3 encoded) {
    gl_FragColor = vec4(clamp(encoded, 0.0, 1.0), 1.0);
}

#endif
