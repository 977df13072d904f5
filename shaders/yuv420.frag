// The 8-bit sRGB image (u_image, W x H, the tone map's target) as the planes of a yuv420p (I420) video
// frame, packed four bytes to a texel of an RGBA8 target of W/4 x 3H/2 texels: read back as raw bytes
// (GL row 0 first) it is the Y plane (W x H), then U and V (W/2 x H/2 each), top image row first -
// exactly what ffmpeg reads with -pix_fmt yuv420p. Half the bytes of RGB, and no colour conversion
// left for the encoder.
// Conversion: ITU-R BT.709 matrix, limited ("TV") range: Y' = 16 + 219 E'Y, Cb, Cr = 128 + 224 E'C
// (Rec. BT.709-6 items 3.2-3.5, docs/sources.md section 7e); chroma is the mean of each 2x2 block
// (centre-sited, tagged as such by the encoder).
// Two draws (the caller sets the viewport to the Y rows, then to the chroma rows):
//   PLANE 0: the Y rows; 4 nearest texels a fragment.
//   PLANE 1: the U and V rows; a chroma byte's 2x2 block is the image's bilinear value at the block's
//   shared corner (u_image sampled linearly), 4 taps a fragment. Needs W % 8 == 0 so that the 4 bytes
//   of a texel lie in one chroma row of one plane, and H % 4 == 0.
// Uniforms: u_image, u_size (W, H of the image), u_rows (first row of this draw in the packed target).
// Owner: viewer.render.passes.yuv.YuvPass.

#include "lib/output.glsl"

#ifndef PLANE
#define PLANE 0
#endif

uniform sampler2D u_image;
uniform vec2 u_size;
uniform float u_rows;

const vec3 LUMA = vec3(0.2126, 0.7152, 0.0722);
// E'Cb = (B' - E'Y) / 1.8556, E'Cr = (R' - E'Y) / 1.5748 (BT.709).
const vec3 CB = vec3(-0.2126, -0.7152, 0.9278) / 1.8556;
const vec3 CR = vec3(0.7874, -0.7152, -0.0722) / 1.5748;

void main() {
    float x = 4.0 * floor(gl_FragCoord.x);
    float j = floor(gl_FragCoord.y);
#if PLANE == 0
    // Y row j is image row j from the top: GL row H - 1 - j; texel centres.
    float v = (u_size.y - j - 0.5) / u_size.y;
    vec4 bytes = vec4(dot(LUMA, texture2D(u_image, vec2((x + 0.5) / u_size.x, v)).rgb),
                      dot(LUMA, texture2D(u_image, vec2((x + 1.5) / u_size.x, v)).rgb),
                      dot(LUMA, texture2D(u_image, vec2((x + 2.5) / u_size.x, v)).rgb),
                      dot(LUMA, texture2D(u_image, vec2((x + 3.5) / u_size.x, v)).rgb));
    write_packed((16.0 + 219.0 * bytes) / 255.0);
#else
    // A packed row holds two chroma rows of W/2 bytes: U's H/2 rows, then V's H/2 rows.
    float half_w = 0.5 * u_size.x;
    float second = step(half_w, x);
    float q = 2.0 * (j - u_rows) + second;     // chroma row over both planes
    float p = x - second * half_w;             // chroma column of the first byte
    float plane = step(0.5 * u_size.y, q);     // 0: U, 1: V
    float r = q - plane * 0.5 * u_size.y;      // row within the plane
    // The 2x2 block of chroma (p, r) is image columns 2p, 2p+1 and rows 2r, 2r+1 from the top: its
    // shared corner is at x = 2p + 1, GL y = H - 2r - 1.
    float v = (u_size.y - 2.0 * r - 1.0) / u_size.y;
    vec3 c = mix(CB, CR, plane);
    vec4 bytes = vec4(dot(c, texture2D(u_image, vec2((2.0 * p + 1.0) / u_size.x, v)).rgb),
                      dot(c, texture2D(u_image, vec2((2.0 * p + 3.0) / u_size.x, v)).rgb),
                      dot(c, texture2D(u_image, vec2((2.0 * p + 5.0) / u_size.x, v)).rgb),
                      dot(c, texture2D(u_image, vec2((2.0 * p + 7.0) / u_size.x, v)).rgb));
    write_packed((128.0 + 224.0 * bytes) / 255.0);
#endif
}
