// Exposure, tone curves and sRGB encoding; the numpy reference is viewer/render/exposure.py.
// FILMIC_INPUT_SCALE and FILMIC_CLIP_INPUT come from the #define block
// (viewer.render.exposure.shader_defines()).
#ifndef LIB_EXPOSURE_GLSL
#define LIB_EXPOSURE_GLSL

#ifndef FILMIC_INPUT_SCALE
#error "FILMIC_INPUT_SCALE must come from viewer.render.exposure.shader_defines()"
#endif
#ifndef FILMIC_CLIP_INPUT
#error "FILMIC_CLIP_INPUT must come from viewer.render.exposure.shader_defines()"
#endif

// Narkowicz 2016 fit of ACES, input scaled so that 0.18 -> display-linear 0.18 (middle grey). The curve
// is white from x ~ 10; clamping at FILMIC_CLIP_INPUT first keeps x*x finite in 32-bit floats.
vec3 tone_filmic(vec3 x) {
    x = clamp(x, 0.0, FILMIC_CLIP_INPUT) * FILMIC_INPUT_SCALE;
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

// clip((x - black) / (white - black))^(1/gamma); stretch = (black, white, gamma)
vec3 tone_stretch(vec3 x, vec3 stretch) {
    vec3 t = clamp((x - stretch.x) / (stretch.y - stretch.x), 0.0, 1.0);
    return pow(t, vec3(1.0 / stretch.z));
}

// IEC 61966-2-1; both branches are evaluated anyway on SIMD rasterizers, so no `if`.
vec3 srgb_encode(vec3 y) {
    y = clamp(y, 0.0, 1.0);
    vec3 lo = 12.92 * y;
    vec3 hi = 1.055 * pow(max(y, vec3(0.0031308)), vec3(1.0 / 2.4)) - 0.055;
    return mix(lo, hi, step(vec3(0.0031308), y));
}

#endif
