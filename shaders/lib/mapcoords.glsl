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
#ifndef MAP_CUT
#define MAP_CUT 0
#endif
vec4 map_texture(sampler2D map, vec3 c) {
#if MAP_CUT == 1
    return texture2D(map, c.xz);
#elif MAP_CUT == 2
    return texture2D(map, c.yz);
#else
    vec4 cut_0 = texture2D(map, c.xz);
    vec4 cut_180 = texture2D(map, c.yz);
    return abs(c.y) > 0.25 ? cut_0 : cut_180;
#endif
}

#endif
