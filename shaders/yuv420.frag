// The 8-bit sRGB image (u_image, W x H, the tone map's target) as the planes of a yuv420p (I420) video
// frame, packed four bytes to a texel of an RGBA8 target of W/4 x 3H/2 texels: read back as raw bytes
// (GL row 0 first) it is the Y plane (W x H), then U and V (W/2 x H/2 each), top image row first -
// exactly what ffmpeg reads with -pix_fmt yuv420p. Half the bytes of RGB, and no colour conversion
// left for the encoder.
// Conversion: ITU-R BT.709 matrix, limited ("TV") range: Y' = 16 + 219 E'Y, Cb, Cr = 128 + 224 E'C
// (Rec. BT.709-6 items 3.2-3.5 and 6.10, docs/sources.md section 7e); chroma is the mean of each 2x2 block
// (centre-sited, tagged as such by the encoder). Each output byte is computed on its own.
// Uniforms: u_image (nearest), u_size (W, H of the image). Needs W % 4 == 0 and H % 2 == 0.
// Owner: viewer.render.passes.yuv.YuvPass.

uniform sampler2D u_image;
uniform vec2 u_size;

const vec3 LUMA = vec3(0.2126, 0.7152, 0.0722);
// E'Cb = (B' - E'Y) / 1.8556, E'Cr = (R' - E'Y) / 1.5748 (BT.709).
const vec3 CB = vec3(-0.2126, -0.7152, 0.9278) / 1.8556;
const vec3 CR = vec3(0.7874, -0.7152, -0.0722) / 1.5748;

// The sRGB colour of image pixel (column, row), rows counted from the top.
vec3 pixel(float column, float row) {
    return texture2D(u_image, vec2(column + 0.5, u_size.y - row - 0.5) / u_size).rgb;
}

// Byte `column` (0..W-1) of packed row `j` (0..3H/2-1).
float byte_at(float column, float j) {
    float w = u_size.x;
    float h = u_size.y;
    if (j < h) {
        return (16.0 + 219.0 * dot(LUMA, pixel(column, j))) / 255.0;
    }
    // A packed row holds two chroma rows of W/2 bytes: U's H/2 rows, then V's H/2 rows.
    float half_w = 0.5 * w;
    float second = step(half_w, column);
    float q = 2.0 * (j - h) + second;          // chroma row over both planes
    float p = column - second * half_w;        // chroma column
    float v = step(0.5 * h, q);                // 0: U, 1: V
    float r = q - v * 0.5 * h;                 // row within the plane
    vec3 rgb = 0.25 * (pixel(2.0 * p, 2.0 * r) + pixel(2.0 * p + 1.0, 2.0 * r)
                       + pixel(2.0 * p, 2.0 * r + 1.0) + pixel(2.0 * p + 1.0, 2.0 * r + 1.0));
    float c = dot(mix(CB, CR, v), rgb);
    return (128.0 + 224.0 * c) / 255.0;
}

void main() {
    float x = 4.0 * floor(gl_FragCoord.x);
    float j = floor(gl_FragCoord.y);
    gl_FragColor = vec4(byte_at(x, j), byte_at(x + 1.0, j), byte_at(x + 2.0, j), byte_at(x + 3.0, j));
}
