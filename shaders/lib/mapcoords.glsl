// Equirectangular map coordinates (docs/assets.md "Our convention"): row 0 = +90 deg planetocentric latitude,
// west longitude increasing right to left, 180 W at the centre column, i.e. s = east longitude / 2 pi.
// Owner: viewer.render.passes.bodies (numpy reference: viewer.render.textures.pixel_of).
#ifndef LIB_MAPCOORDS_GLSL
#define LIB_MAPCOORDS_GLSL

const float MAP_PI = 3.14159265358979;

// Map coordinates of a body-fixed point: (s cut at 0 deg E, in [0, 1); s cut at 180 deg, in
// [-0.5, 0.5]; t). The two s are the same texel (the maps repeat in s) and differ by 1 east of 180 W.
vec3 map_coords(vec3 x) {
    float lat = atan(x.z, length(x.xy));
    float elon = atan(x.y, x.x) / (2.0 * MAP_PI);  // -0.5 .. 0.5, cut at 180 deg
    return vec3(fract(elon), elon, 0.5 - lat / MAP_PI);
}

// A mipmapped map at coordinates c = map_coords(x), with no seam. The mip level comes from the screen
// derivatives of the coordinate across each 2x2 pixel quad, so a coordinate that jumps by 1 inside a quad
// reads the map's lowest level (its mean colour). Choosing per pixel the parameterisation with the
// smaller fwidth (Tarini 2012, JGT) is only safe where a quad's pixels share their derivatives; with
// per-row/column derivatives (llvmpipe) they can choose differently and speckle one half of the body
// (issue 11). Instead both parameterisations are sampled, in uniform control flow, and each pixel keeps
// the one cut at least 90 deg of longitude away from it: its coordinate is continuous over any quad the
// pixel belongs to (except where a quad spans > 90 deg of longitude, within a pixel of a pole), on any
// driver, and the choice made after sampling need not agree across the quad.
// MAP_CUT (a define, per body and frame: viewer.render.passes.bodies.map_cut) 1 or 2 samples only the
// parameterisation cut at 0 deg E (1) or at 180 deg (2), when the CPU has checked that its cut lies
// outside everything the camera can see of the body (so outside every pixel's quad): one fetch, not two.
// Near a pole a pixel spans many columns (rows converge) but few rows, and GL's isotropic mip level,
// set by the larger of the two, then blurs the map along the meridians: a starburst of radial streaks
// round the pole (issue 16 item 4). map_lod_bias lowers the level to the pixel's footprint on the
// sphere, where a column is cos(latitude) as wide: the bias is log2 of (footprint with ds scaled by
// cos lat) / (GL's footprint), from the same derivatives (the map is 2:1, so s counts twice), <= 0.
#ifndef MAP_CUT
#define MAP_CUT 0
#endif
float map_lod_bias(vec2 st) {
    float c = sin(MAP_PI * st.y);  // cos(latitude)
    vec2 dx = vec2(2.0 * dFdx(st.x), dFdx(st.y));
    vec2 dy = vec2(2.0 * dFdy(st.x), dFdy(st.y));
    vec2 px = vec2(dx.x * c, dx.y);
    vec2 py = vec2(dy.x * c, dy.y);
    float rho_gl = max(dot(dx, dx), dot(dy, dy));
    float rho_sphere = max(dot(px, px), dot(py, py));
    return min(0.5 * log2(max(rho_sphere, 1e-30) / max(rho_gl, 1e-30)), 0.0);
}
vec4 map_texture(sampler2D map, vec3 c) {
#if MAP_CUT == 1
    return texture2D(map, c.xz, map_lod_bias(c.xz));
#elif MAP_CUT == 2
    return texture2D(map, c.yz, map_lod_bias(c.yz));
#else
    vec4 cut_0 = texture2D(map, c.xz, map_lod_bias(c.xz));
    vec4 cut_180 = texture2D(map, c.yz, map_lod_bias(c.yz));
    return abs(c.y) > 0.25 ? cut_0 : cut_180;
#endif
}

#endif
