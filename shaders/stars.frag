// Star point sprites: each pixel of the footprint gets its share of the star's radiance, the product
// of the per-axis PSF weights computed in stars.vert. Added with blend (ONE, ONE) and alpha 0
// (lib/output.glsl write_additive), so stars never count as coverage.
#include "lib/output.glsl"

varying vec2 v_first_px;
varying vec4 v_weight_x;
varying vec4 v_weight_y;
varying vec2 v_weight_4;
varying vec3 v_radiance_sum;

const vec4 COLUMNS = vec4(0.0, 1.0, 2.0, 3.0);

void main() {
    // 0..2R inside the footprint. gl_FragCoord is at the pixel centre (k + 0.5 from the footprint's
    // first pixel); llvmpipe draws points as quads and interpolates even these constant varyings with
    // rounding, so never compare an interpolated value for exact equality.
    vec2 offset = floor(gl_FragCoord.xy - v_first_px);
    if (any(lessThan(offset, vec2(0.0))) || any(greaterThan(offset, vec2(float(2 * PSF_RADIUS_PX)))))
        discard;                                        // outside the footprint (rasterizer ties)
    float wx = offset.x > 3.5 ? v_weight_4.x : dot(v_weight_x, vec4(equal(COLUMNS, vec4(offset.x))));
    float wy = offset.y > 3.5 ? v_weight_4.y : dot(v_weight_y, vec4(equal(COLUMNS, vec4(offset.y))));
    write_additive(v_radiance_sum * (wx * wy));
}
