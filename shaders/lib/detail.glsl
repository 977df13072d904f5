// Detail below the map's resolution: an albedo modulation (mean exactly 1 over every map texel) and a
// slope field (mean 0) from octaves of a baked noise tile, each faded in as its cells grow from 1
// to 2 pixels on screen. The tile, its exactness, the unit styles: viewer/render/detail.py.
// Owner: viewer.render.passes.bodies (define DETAIL).
#ifndef LIB_DETAIL_GLSL
#define LIB_DETAIL_GLSL

// DT_TILE_UNITS, DT_RANGE, DT_MAX_OCTAVES, DT_FADE0, DT_FADE1, DT_POLE_BAND, DT_SEAM_UNITS,
// DT_MIN_MODULATION, DT_CONTRAST_MAX and DT_CONTRAST_REF come from the #define block
// (viewer.render.detail.shader_defines()).
#ifndef DT_TILE_UNITS
#error "lib/detail.glsl needs the defines of viewer.render.detail.shader_defines()"
#endif

uniform sampler2D u_dt_tile;   // RGBA8 noise tile: albedo N_A, slope dH/dx, dH/dy, albedo N_B (repeat)
uniform sampler2D u_dt_units;  // RGBA8: weights of the body's three mapped units (R, G, B) and the
                               // map's evenness (A), same layout as u_map
uniform vec4 u_dt_grid;        // map width W and height H (texels), tile cells per unit (x, y)
uniform vec4 u_dt_scale;       // km per texel north-south, 1 / focal length (px), widest unit exponent j, 0
uniform vec4 u_dt_amp;         // albedo noise amplitude in the coarsest octave per unit of the map's
                               // texel contrast, per terrain unit (base, R, G, B)
uniform vec4 u_dt_amp_ratio;   // ... each finer octave's over the previous one's
uniform vec4 u_dt_hue;         // hue noise amplitude in the coarsest octave, likewise
uniform vec4 u_dt_relief;      // RMS slope of the coarsest octave at texel contrast DT_CONTRAST_REF
uniform vec4 u_dt_relief_ratio;
uniform vec3 u_dt_colour[4];     // linear RGB direction of the albedo noise per unit (luminance 1)
uniform vec3 u_dt_hue_colour[4]; // ... of the hue noise (luminance 0)

// The tile at unit coordinates p (x east, y south; any value: the tile repeats), in standard deviations.
vec4 dt_tile(vec2 p) {
    vec4 t = texture2D(u_dt_tile, mod(p, DT_TILE_UNITS) * (1.0 / DT_TILE_UNITS));
    return (t * 255.0 - 127.0) * (DT_RANGE / 127.0);
}

// The tile for octave q (q units per texel side) at map coordinates st (s east, t south, both 0..1)
// with units 2^j texels wide (inv_width = 2^-j), its x slope turned from per cell of the unit's width
// into per north-south cell (times height_over_width * 2^-j: the cells' north-south over east-west size
// on the surface at j = 0); shifted by one turn of the tile's units when `back` is 1 (across the 0 deg
// meridian).
vec4 dt_lookup(vec2 st, float q, float inv_width, vec2 offset, float height_over_width, float back) {
    float units = u_dt_grid.x * q * inv_width;
    vec4 v = dt_tile(vec2((st.x - back) * units, st.y * u_dt_grid.y * q) + offset);
    v.y *= height_over_width * inv_width;
    return v;
}

// The same octave, blended across the bands where one lookup is not enough: poleward of ~43 deg the
// units widen (j0 and j0 + 1 blended with weight wj across DT_POLE_BAND), and where the tile does not
// repeat at the 0 deg meridian (units around not a multiple of the tile) the last DT_SEAM_UNITS units
// before it blend into the tile one turn back. Weights vary smoothly; the sum is rescaled to keep the
// variance.
vec4 dt_blended(vec2 st, float q, float inv_width, float wj, vec2 offset, float height_over_width) {
    vec4 acc = vec4(0.0);
    float w2 = 0.0;
    for (int i = 0; i < 2; ++i) {
        float wide = float(i);
        float inv = inv_width * (1.0 - 0.5 * wide);
        float units = u_dt_grid.x * q * inv;
        float x = st.x * units;
        float seam = mod(units, DT_TILE_UNITS) != 0.0 ? smoothstep(units - DT_SEAM_UNITS, units, x) : 0.0;
        float w = mix(1.0 - wj, wj, wide);
        acc += w * ((1.0 - seam) * dt_lookup(st, q, inv, offset, height_over_width, 0.0)
                    + seam * dt_lookup(st, q, inv, offset, height_over_width, 1.0));
        w2 += w * w * ((1.0 - seam) * (1.0 - seam) + seam * seam);
    }
    return acc / sqrt(max(w2, 1e-12));
}

// The detail at map coordinates st (s east from 0 deg, t = 0 at the north pole), planetocentric
// latitude lat (rad), for a pixel whose footprint on the surface is fp_km long: the albedo modulation
// (multiply the map's albedo) and the slope (dH/d east, dH/d south) of the added relief.
void detail(vec2 st, float lat, float fp_km, out vec3 modulation, out vec2 slope) {
    modulation = vec3(1.0);
    slope = vec2(0.0);
    float cells = u_dt_scale.x / (u_dt_grid.w * fp_km);  // octave 0's cells (north-south) in pixels
    // Nothing more where no octave shows.
    if (cells <= DT_FADE0) return;
    vec4 mapped = texture2D(u_dt_units, st);
    vec4 units = vec4(max(1.0 - mapped.r - mapped.g - mapped.b, 0.0), mapped.rgb);
    vec3 colour = mat4x3(u_dt_colour[0], u_dt_colour[1], u_dt_colour[2], u_dt_colour[3]) * units;
    vec3 hue = mat4x3(u_dt_hue_colour[0], u_dt_hue_colour[1], u_dt_hue_colour[2], u_dt_hue_colour[3]) * units;
    // octave 0's amplitudes (albedo, slope x, slope y, hue) and each next octave's ratio, for this
    // pixel's mix of units: the albedo's in proportion to the map's own texel-scale contrast, the relief's
    // to it over DT_CONTRAST_REF (at most twice), both less where the map has an edge (the A channel:
    // detail.texel_contrast x detail.evenness over DT_CONTRAST_MAX)
    float contrast = mapped.a * DT_CONTRAST_MAX;
    float steep = min(contrast / DT_CONTRAST_REF, 2.0);
    vec4 amp = vec4(dot(units, u_dt_amp) * contrast, dot(units, u_dt_relief) * steep,
                    dot(units, u_dt_relief) * steep, dot(units, u_dt_hue) * contrast);
    vec4 ratio = vec4(dot(units, u_dt_amp_ratio), dot(units, u_dt_relief_ratio),
                      dot(units, u_dt_relief_ratio), dot(units, u_dt_amp_ratio));
    float c = max(cos(lat), 1e-6);
    float a = -log2(c);
    float j0 = min(floor(a), u_dt_scale.z);
    float wj = j0 < u_dt_scale.z ? smoothstep(0.5 - DT_POLE_BAND, 0.5 + DT_POLE_BAND, a - j0) : 0.0;
    float inv_width = exp2(-j0);
    // cells' height over width on the surface at j = 0 (y: pi R / (H m_y), x: 2 pi R cos(lat) / (W m_x))
    float how = (u_dt_grid.z / u_dt_grid.w) * u_dt_grid.x / (2.0 * u_dt_grid.y * c);
    // in a band (the coarsest octave's units around the body are the fewest: its seam band is the widest)
    float units0 = u_dt_grid.x * inv_width;
    bool band = wj > 0.0 || (mod(units0, DT_TILE_UNITS) != 0.0 && st.x * units0 > units0 - DT_SEAM_UNITS);
    // The octaves that show (cells over DT_FADE0 pixels), in loops with a bound too large to unroll:
    // llvmpipe runs every pass of an unrolled loop, masked, but leaves a real loop as soon as every
    // pixel of a block is done (measured: 6 unrolled octaves cost as much when 1 shows as when 6 do).
    // Pixels in a band take the second loop.
    int octaves = int(min(floor(log2(cells / DT_FADE0)) + 1.0, float(DT_MAX_OCTAVES)));
    int plain = band ? 0 : octaves;
    int blended = band ? octaves : 0;
    vec4 sum = vec4(0.0);  // albedo, slope x, slope y, hue
    float q = 1.0;
    for (int k = 0; k < 64; ++k) {
        if (k >= plain) break;
        float f = smoothstep(DT_FADE0, DT_FADE1, cells / q);
        sum += f * amp * dt_lookup(st, q, inv_width, vec2(37.0, 59.0) * float(k + 1), how, 0.0);
        amp *= ratio;
        q *= 2.0;
    }
    for (int k = 0; k < 64; ++k) {
        if (k >= blended) break;
        float f = smoothstep(DT_FADE0, DT_FADE1, cells / q);
        sum += f * amp * dt_blended(st, q, inv_width, wj, vec2(37.0, 59.0) * float(k + 1), how);
        amp *= ratio;
        q *= 2.0;
    }
    slope = sum.yz;
    modulation = max(vec3(1.0) + sum.x * colour + sum.w * hue, vec3(DT_MIN_MODULATION));
}

#endif
