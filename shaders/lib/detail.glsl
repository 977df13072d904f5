// Detail below the map's resolution: an albedo modulation (mean exactly 1 over every map texel) and a
// slope field (mean 0) from octaves of a baked noise tile, each faded in as its cells grow from 1
// to 2 pixels on screen. The tile, its exactness, the unit styles: viewer/render/detail.py.
// Owner: viewer.render.passes.bodies (define DETAIL).
#ifndef LIB_DETAIL_GLSL
#define LIB_DETAIL_GLSL

// DT_TILE_UNITS, DT_RANGE, DT_MAX_OCTAVES, DT_FADE0, DT_FADE1, DT_POLE_BAND, DT_SEAM_UNITS and
// DT_MIN_MODULATION come from the #define block (viewer.render.detail.shader_defines()).
#ifndef DT_TILE_UNITS
#error "lib/detail.glsl needs the defines of viewer.render.detail.shader_defines()"
#endif

uniform sampler2D u_dt_tile;   // RGBA8 noise tile: albedo N_A, slope dH/dx, dH/dy, albedo N_B (repeat)
uniform sampler2D u_dt_units;  // RGBA8: weights of the body's three mapped units (R, G, B) and the
                               // map's evenness (A), same layout as u_map
uniform vec4 u_dt_grid;        // map width W and height H (texels), tile cells per unit (x, y)
uniform vec4 u_dt_scale;       // km per texel north-south, 1 / focal length (px), widest unit exponent j, 0
uniform vec4 u_dt_amp;         // albedo noise amplitude in the coarsest octave, per unit (base, R, G, B)
uniform vec4 u_dt_amp_ratio;   // ... each finer octave's over the previous one's
uniform vec4 u_dt_hue;         // hue noise amplitude in the coarsest octave, per unit
uniform vec4 u_dt_relief;      // RMS slope of the coarsest octave, per unit
uniform vec4 u_dt_relief_ratio;
uniform vec3 u_dt_colour[4];     // linear RGB direction of the albedo noise per unit (luminance 1)
uniform vec3 u_dt_hue_colour[4]; // ... of the hue noise (luminance 0)

// The tile at unit coordinates p (x east, y south; any value: the tile repeats), in standard deviations.
vec4 dt_tile(vec2 p) {
    vec4 t = texture2D(u_dt_tile, mod(p, DT_TILE_UNITS) * (1.0 / DT_TILE_UNITS));
    return (t * 255.0 - 127.0) * (DT_RANGE / 127.0);
}

// One octave (q units per texel side) at map coordinates st (s east, t south, both 0..1): the tile
// where units 2^j texels wide put the point (inv_width = 2^-j0). Poleward of ~43 deg the units widen
// (j0 and j0 + 1 blended with weight wj across DT_POLE_BAND); where the tile does not repeat at the
// 0 deg meridian (units around not a multiple of the tile), the last DT_SEAM_UNITS units before it blend
// into the tile one turn back. The x slope comes per cell of the unit's own width and is returned per
// north-south cell (times height_over_width * 2^-j: the cells' north-south over east-west size on the
// surface at j = 0).
vec4 dt_octave(vec2 st, float q, float inv_width, float wj, vec2 offset, float height_over_width) {
    float y = st.y * u_dt_grid.y * q;
    float units = u_dt_grid.x * q * inv_width;
    float x = st.x * units;
    vec4 v = dt_tile(vec2(x, y) + offset);
    v.y *= height_over_width * inv_width;
    float seam = mod(units, DT_TILE_UNITS) != 0.0 ? smoothstep(units - DT_SEAM_UNITS, units, x) : 0.0;
    if (wj > 0.0 || seam > 0.0) {  // a narrow band: llvmpipe skips this where no pixel of a block needs it
        vec4 acc = (1.0 - wj) * (1.0 - seam) * v;
        float w2 = (1.0 - wj) * (1.0 - wj) * ((1.0 - seam) * (1.0 - seam) + seam * seam);
        vec4 u = dt_tile(vec2(x - units, y) + offset);
        u.y *= height_over_width * inv_width;
        acc += (1.0 - wj) * seam * u;
        // the wider units
        float units1 = 0.5 * units;
        float x1 = st.x * units1;
        float seam1 = mod(units1, DT_TILE_UNITS) != 0.0 ? smoothstep(units1 - DT_SEAM_UNITS, units1, x1) : 0.0;
        vec4 a = dt_tile(vec2(x1, y) + offset);
        vec4 b = dt_tile(vec2(x1 - units1, y) + offset);
        a.y *= 0.5 * height_over_width * inv_width;
        b.y *= 0.5 * height_over_width * inv_width;
        acc += wj * ((1.0 - seam1) * a + seam1 * b);
        w2 += wj * wj * ((1.0 - seam1) * (1.0 - seam1) + seam1 * seam1);
        v = acc / sqrt(max(w2, 1e-12));
    }
    return v;
}

// The detail at map coordinates st (s east from 0 deg, t = 0 at the north pole), planetocentric
// latitude lat (rad), for a pixel whose footprint on the surface is fp_km long: the albedo modulation
// (multiply the map's albedo) and the slope (dH/d east, dH/d south) of the added relief.
void detail(vec2 st, float lat, float fp_km, out vec3 modulation, out vec2 slope) {
    modulation = vec3(1.0);
    slope = vec2(0.0);
    float cells = u_dt_scale.x / (u_dt_grid.w * fp_km);  // octave 0's cells (north-south) in pixels
    // Nothing more where no octave shows (llvmpipe leaves a loop at once when every pixel of a block
    // breaks, and skips an if that none enters).
    if (cells <= DT_FADE0) return;
    vec4 mapped = texture2D(u_dt_units, st);
    vec4 units = vec4(max(1.0 - mapped.r - mapped.g - mapped.b, 0.0), mapped.rgb);
    vec3 colour = mat4x3(u_dt_colour[0], u_dt_colour[1], u_dt_colour[2], u_dt_colour[3]) * units;
    vec3 hue = mat4x3(u_dt_hue_colour[0], u_dt_hue_colour[1], u_dt_hue_colour[2], u_dt_hue_colour[3]) * units;
    // octave 0's amplitudes and the ratios of the next, for this pixel's mix of units
    // (less where the map has an edge: the A channel, detail.evenness)
    vec3 amp = vec3(dot(units, u_dt_amp), dot(units, u_dt_hue), dot(units, u_dt_relief)) * mapped.a;
    vec3 ratio = vec3(dot(units, u_dt_amp_ratio), dot(units, u_dt_amp_ratio), dot(units, u_dt_relief_ratio));
    float c = max(cos(lat), 1e-6);
    float a = -log2(c);
    float j0 = min(floor(a), u_dt_scale.z);
    float wj = j0 < u_dt_scale.z ? smoothstep(0.5 - DT_POLE_BAND, 0.5 + DT_POLE_BAND, a - j0) : 0.0;
    float inv_width = exp2(-j0);
    // cells' height over width on the surface at j = 0 (y: pi R / (H m_y), x: 2 pi R cos(lat) / (W m_x))
    float height_over_width = (u_dt_grid.z / u_dt_grid.w) * u_dt_grid.x / (2.0 * u_dt_grid.y * c);
    vec4 sum = vec4(0.0);  // albedo, slope x, slope y, hue
    float q = 1.0;
    for (int k = 0; k < DT_MAX_OCTAVES; ++k) {
        float f = smoothstep(DT_FADE0, DT_FADE1, cells / q);
        if (f <= 0.0) break;
        vec4 v = dt_octave(st, q, inv_width, wj, vec2(37.0, 59.0) * float(k + 1), height_over_width);
        sum += f * vec4(amp.x, amp.z, amp.z, amp.y) * v;
        amp *= ratio;
        q *= 2.0;
    }
    slope = sum.yz;
    modulation = max(vec3(1.0) + sum.x * colour + sum.w * hue, vec3(DT_MIN_MODULATION));
}

#endif
