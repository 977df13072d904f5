// Equirectangular map coordinates (ARCHITECTURE.md "Maps"): row 0 = +90 deg planetocentric latitude,
// west longitude increasing right to left, 180 W at the centre column, i.e. s = east longitude / 2 pi.
// Owner: viewer.render.passes.bodies (numpy reference: viewer.render.textures.pixel_of).
#ifndef LIB_MAPCOORDS_GLSL
#define LIB_MAPCOORDS_GLSL

const float MAP_PI = 3.14159265358979;

// Texture coordinates of a body-fixed point. The longitude seam is handled as in Tarini (2012, JGT
// "Cylindrical and toroidal parameterizations without vertex seams"): of two parameterisations cut at
// 180 and at 0 deg east, use the one whose screen derivative is smaller, so mipmapping sees no jump.
vec2 map_coords(vec3 x) {
    float lat = atan(x.z, length(x.xy));
    float elon = atan(x.y, x.x) / (2.0 * MAP_PI);  // -0.5 .. 0.5
    float s1 = fract(elon);
    float s2 = fract(elon + 0.5) - 0.5;
    float s = fwidth(s1) <= fwidth(s2) + 1e-7 ? s1 : s2;
    return vec2(s, 0.5 - lat / MAP_PI);
}

#endif
