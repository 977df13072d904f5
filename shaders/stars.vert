// Stars at infinity as point sprites: one vertex per star, a J2000 unit direction and its brightness.
// Owner: viewer.render.passes.stars.StarsPass. Units: docs/architecture.md "Radiometry".
// The sprite is drawn into a viewport enlarged by u_margin_px on every side (so stars whose centre
// lies just outside the image still reach its edge pixels); u_size_px is the real target size.
// Window pixels: origin bottom-left, pixel i spans [i, i + 1).
//
// PSF: a Gaussian of sigma u_sigma_px integrated over each pixel of the (2R+1)^2 footprint around the
// pixel holding the star's centre, normalised over the footprint, so the pixel radiances of a star sum
// to its total (flux conservation). The 2R+1 weights per axis are computed here, once per star, and
// picked per pixel in stars.frag. numpy reference: viewer.render.stars.psf_weights.

#if PSF_RADIUS_PX != 2
#error "stars.vert passes the weights of a 5x5 footprint (PSF_RADIUS_PX 2) only"
#endif

attribute vec3 a_direction;   // J2000 unit vector toward the star
attribute vec3 a_flux;        // colour (luminance 1) * 10^(-0.4 V)

uniform mat3 u_to_camera;     // J2000 -> camera frame (+x right, +y up, looking along -z)
uniform mat4 u_projection;    // the view's projection (viewer.render.camera.Camera.projection_matrix)
uniform vec2 u_size_px;       // target size in render pixels
uniform float u_margin_px;    // viewport margin in pixels
uniform float u_flux_scale;   // 10^(0.4 V_sun) * pi / Omega_px: a_flux -> sum of pixel radiances
uniform float u_sigma_px;     // PSF sigma in render pixels

varying vec2 v_first_px;      // the footprint's first pixel (x, y)
varying vec4 v_weight_x;      // PSF weights of footprint columns 0..3 (R = 2)
varying vec4 v_weight_y;      // ... and rows 0..3
varying vec2 v_weight_4;      // column 4, row 4
varying vec3 v_radiance_sum;

// erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
float erf_as(float x) {
    float a = abs(x);
    float t = 1.0 / (1.0 + 0.3275911 * a);
    float poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                 + t * 1.061405429))));
    float y = 1.0 - poly * exp(-a * a);
    return x < 0.0 ? -y : y;
}

// The Gaussian's mass below pixel edges first + k (k = 0..5) along one axis, as (k0..3, k4, k5).
vec4 cdf_low(float first, float center) {
    vec4 z = (vec4(first) + vec4(0.0, 1.0, 2.0, 3.0) - center) / (u_sigma_px * 1.41421356);
    return 0.5 + 0.5 * vec4(erf_as(z.x), erf_as(z.y), erf_as(z.z), erf_as(z.w));
}

vec2 cdf_high(float first, float center) {
    vec2 z = (vec2(first) + vec2(4.0, 5.0) - center) / (u_sigma_px * 1.41421356);
    return 0.5 + 0.5 * vec2(erf_as(z.x), erf_as(z.y));
}

void main() {
    vec3 d = u_to_camera * a_direction;
    vec4 clip = u_projection * vec4(d, 1.0);   // w = -d.z: behind the camera -> clipped
    vec2 center = (clip.xy / clip.w * 0.5 + 0.5) * u_size_px;
    vec2 first = floor(center) - float(PSF_RADIUS_PX);
    vec4 lx = cdf_low(first.x, center.x);
    vec2 hx = cdf_high(first.x, center.x);
    vec4 ly = cdf_low(first.y, center.y);
    vec2 hy = cdf_high(first.y, center.y);
    vec2 total = vec2(hx.y - lx.x, hy.y - ly.x);
    v_weight_x = (vec4(lx.yzw, hx.x) - lx) / total.x;
    v_weight_y = (vec4(ly.yzw, hy.x) - ly) / total.y;
    v_weight_4 = vec2(hx.y - hx.x, hy.y - hy.x) / total;
    v_first_px = first;
    v_radiance_sum = a_flux * u_flux_scale;
    vec2 shrink = u_size_px / (u_size_px + 2.0 * u_margin_px);
    gl_Position = vec4(clip.xy * shrink, 0.0, clip.w);
    gl_PointSize = float(2 * PSF_RADIUS_PX + 1);
}
