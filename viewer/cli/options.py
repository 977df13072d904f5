"""Option groups shared by the commands: SPICE kernels, repeatable lists, users' maps and models, and
the rendering options of ``still`` and ``render`` (view, look, content)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Literal, NoReturn

from viewer.errors import UserError


class Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes become one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def add_kernels_option(p: argparse.ArgumentParser) -> None:
    """``--kernels FILE.tm|DIR``: take positions and attitudes from NAIF SPICE kernels."""
    p.add_argument("--kernels", "-k", metavar="FILE.tm|DIR", default=None,
                   help="take positions and attitudes from NAIF SPICE kernels: a meta-kernel, or a "
                   "folder whose kernels are all loaded (docs/spice.md); default: the embedded "
                   "ephemeris and Juno trajectories")


def world_from_args(args: argparse.Namespace) -> Any:
    """The :class:`~viewer.sim.world.World` for a command: SPICE if ``--kernels`` was given."""
    from viewer.sim.world import World

    kernels = getattr(args, "kernels", None)
    if kernels is None:
        return World()
    from viewer.sim.spice import SpiceEphemeris

    return World(SpiceEphemeris(kernels))


_UP_AXES = ("x", "y", "z", "-x", "-y", "-z")


def add_asset_options(p: argparse.ArgumentParser) -> None:
    """The asset options shared by ``assets`` and the commands that render (``still``, …).

    Read them back with :func:`load_assets_from_args`. Conventions: docs/assets.md.
    """
    g = p.add_argument_group("maps and spacecraft model (docs/assets.md)")
    add_maps_option(g)
    g.add_argument("--jupiter-map", metavar="FILE", default=None,
                   help="equirectangular Jupiter map (JPEG, PNG or TIFF; 8 or 16 bit; 2:1); default: "
                   "the shipped textures/jupiter.png")
    g.add_argument("--io-map", metavar="FILE", default=None,
                   help="equirectangular Io map, as --jupiter-map; default: textures/io.png")
    g.add_argument("--map-lon-left", metavar="DEG", type=float, default=None,
                   help="longitude of the left edge of the maps given above, in the system of "
                   "--map-lon-direction (default 360, i.e. ours: 360° W at the left edge)")
    g.add_argument("--map-lon-direction", choices=("west", "east"), default=None,
                   help="which way the maps' longitudes increase on the planet: west (positive-west, "
                   "decreasing to the right; ours, the default) or east (increasing to the right)")
    g.add_argument("--spacecraft-model", metavar="FILE", default=None,
                   help="spacecraft model: glTF/GLB (Draco too), OBJ (+MTL) or STL; default: the "
                   "shipped models/juno.glb")
    g.add_argument("--spacecraft-size", metavar="M", type=float, default=None,
                   help="rescale the model so its largest extent (span) is M metres (for files whose "
                   "units are unknown or wrong)")
    g.add_argument("--spacecraft-up", metavar="AXIS", choices=_UP_AXES, default=None,
                   help="the model file's spin axis, one of x y z -x -y -z, turned onto +Z (write "
                   "--spacecraft-up=-x for a negative axis); default z")


def load_assets_from_args(args: argparse.Namespace, max_texture_size: int | None,
                          include_shipped: bool = True) -> dict[str, Any]:
    """Load what :func:`add_asset_options` names: user files, else the shipped ones where present
    (``include_shipped=False``: leave those to the renderer, with ``asset`` None and ``shipped`` True).

    Returns ``{"jupiter_map", "io_map", "spacecraft"}``, each ``{"path", "shipped", "asset"}`` with
    ``asset`` a :class:`~viewer.render.textures.MapImage` / :class:`~viewer.render.meshes.ModelMesh`,
    or None (with ``path`` None) when nothing was given and nothing is shipped yet.
    """
    from viewer.paths import data_dir
    from viewer.render.meshes import load_model
    from viewer.render.textures import load_map

    user_maps = args.jupiter_map is not None or args.io_map is not None
    if not user_maps and (args.map_lon_left is not None or args.map_lon_direction is not None):
        raise UserError("--map-lon-left/--map-lon-direction describe a map given with --jupiter-map "
                        "or --io-map; give the map too")
    if args.spacecraft_model is None and (args.spacecraft_size is not None
                                          or args.spacecraft_up is not None):
        raise UserError("--spacecraft-size/--spacecraft-up describe a model given with "
                        "--spacecraft-model; give the model too")
    lon_left = 360.0 if args.map_lon_left is None else args.map_lon_left
    direction: Literal["west", "east"] = "east" if args.map_lon_direction == "east" else "west"

    out: dict[str, Any] = {}
    for key, given, shipped in (("jupiter_map", args.jupiter_map, data_dir("textures") / "jupiter.png"),
                                ("io_map", args.io_map, data_dir("textures") / "io.png")):
        if given is not None:
            out[key] = {"path": given, "shipped": False,
                        "asset": load_map(given, lon_left, direction, max_texture_size)}
        elif shipped.exists() and include_shipped:  # shipped maps are in our convention
            out[key] = {"path": str(shipped), "shipped": True,
                        "asset": load_map(shipped, max_size=max_texture_size)}
        else:
            out[key] = {"path": None, "shipped": True, "asset": None}
    shipped_model = data_dir("models") / "juno.glb"
    if args.spacecraft_model is not None:
        out["spacecraft"] = {"path": args.spacecraft_model, "shipped": False,
                             "asset": load_model(args.spacecraft_model, args.spacecraft_size,
                                                 args.spacecraft_up)}
    elif shipped_model.exists() and include_shipped:
        out["spacecraft"] = {"path": str(shipped_model), "shipped": True,
                             "asset": load_model(shipped_model)}
    else:
        out["spacecraft"] = {"path": None, "shipped": True, "asset": None}
    return out


def user_assets(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The users' maps (encoded arrays by body, only those given) and spacecraft model (or None) that
    :func:`add_asset_options` names, for a renderer that falls back to the shipped ones."""
    from viewer.render.textures import DEFAULT_MAX_TEXTURE_SIZE

    assets = load_assets_from_args(args, DEFAULT_MAX_TEXTURE_SIZE, include_shipped=False)
    maps = {body: assets[key]["asset"].data for key, body in (("jupiter_map", "jupiter"), ("io_map", "io"))
            if not assets[key]["shipped"]}
    return maps, assets["spacecraft"]["asset"]


def add_maps_option(p: Any) -> None:
    """``--maps procedural|downloaded`` (:mod:`viewer.maps`; read back with :func:`chosen_maps`)."""
    p.add_argument("--maps", choices=("procedural", "downloaded"), default=None,
                   help="the shipped procedural maps, or the public mosaics `jupitershine textures download` "
                   "fetched (Jupiter and Io; the other moons stay procedural); default: the preset's maps "
                   "key, else the setting of `jupitershine textures use`, else procedural")


def maps_reporter(args: argparse.Namespace) -> Any:
    """A function ``(choice, bodies drawn)`` that says on stderr, in one line, which maps a render uses
    (:func:`viewer.maps.status_line`, naming the files of ``--jupiter-map``/``--io-map``)."""
    from viewer.maps import status_line

    files = _given_files(args)

    def report(choice: Any, shown: list[str]) -> None:
        print(status_line(choice, files, shown), file=sys.stderr)

    return report


def chosen_maps(args: argparse.Namespace, given: dict[str, Any],
                setup: Any) -> tuple[dict[str, Any], str]:
    """The maps the window renders with (encoded arrays by body) for a resolved still ``setup``
    (:class:`viewer.still.StillSetup`): the users' files (``given``) and, where ``--maps``, the preset's
    ``maps`` key or the setting choose ``downloaded``, the downloads of the other bodies drawn
    (:func:`viewer.maps.for_still`); and the line that says which (:func:`viewer.maps.status_line`,
    naming the files given). A missing download is a UserError naming ``jupitershine textures
    download``."""
    from viewer.maps import for_still, status_line

    maps, choice, shown = for_still(getattr(args, "maps", None), setup.spec, given, setup.settings.hide)
    return maps, status_line(choice, _given_files(args), shown)


def _given_files(args: argparse.Namespace) -> dict[str, str]:
    """Body → file of the maps ``--jupiter-map``/``--io-map`` name."""
    return {b: str(getattr(args, f"{b}_map")) for b in ("jupiter", "io") if getattr(args, f"{b}_map", None)}


def add_view_options(p: argparse.ArgumentParser) -> None:
    """``--preset --time --camera --fov --size``: what is seen, when, from where, how big."""
    g = p.add_argument_group("view")
    g.add_argument("--preset", "-p", default=None, help="start from a preset (default i57)")
    g.add_argument("--time", "-t", default=None,
                   help="UTC, e.g. 2023-12-30T08:36:00.836, 2023-364T08:36:00, 12/30/2023 08:36:00.836; with "
                   "a UTC offset, e.g. 2023-12-30T10:36:00+02:00; or now (the system clock)")
    g.add_argument("--camera", "-c", default=None,
                   help="camera spec (degrees, km): above:BODY:LAT:WLON:ALT_KM, "
                   "orbit:TARGET:LAT:WLON:RANGE_KM, look:FROM:TARGET (from any body: Juno's centre, else "
                   "1%% of FROM's radius above FROM toward TARGET), surface:BODY:LAT:WLON[:HEADING:PITCH] "
                   "(standing 2 m up; heading from north toward east, pitch above the horizon, e.g. "
                   "surface:io:0:0:0:45), junocam[:TARGET|spin], sky:RA_DEG:DEC_DEG; a feature name may "
                   "replace "
                   "LAT:WLON (above:io:pele:500, surface:io:loki); end any spec with :roll=DEG to turn it "
                   "about the view axis")
    g.add_argument("--fov", type=float, default=None, metavar="DEG", help="vertical field of view")
    g.add_argument("--size", default=None, metavar="WxH", help="image size in pixels, e.g. 960x540")


def add_look_options(p: argparse.ArgumentParser) -> None:
    """``--look --exposure --tonemap --stretch``: how radiance becomes pixels."""
    g = p.add_argument_group("look (docs/rendering.md 'Looks')")
    g.add_argument("--look", default=None, metavar="NAME",
                   help="a documented look (docs/rendering.md 'Looks'): physical (filmic, EV 0), "
                   "junocam (night side stretched to display 0.5, day side clips), linear (PNG = "
                   "sRGB(clip(radiance x 2^EV)), radiance also to .npy); --exposure/--tonemap/--stretch "
                   "override its values (default: the preset's exposure and curve)")
    g.add_argument("--exposure", default=None, metavar="EV|auto",
                   help="exposure in stops (radiance x 2^EV) or auto (median lit pixel to middle grey; with "
                   "nothing lit, the hot spots or else the stars near white)")
    g.add_argument("--tonemap", choices=("filmic", "stretch"), default=None, help="tone curve")
    g.add_argument("--stretch", default=None, metavar="B:W:G",
                   help="black, white and gamma of the stretch curve (implies --tonemap stretch)")


def add_content_options(p: argparse.ArgumentParser) -> None:
    """``--hide --light --trails --trail-span --labels --junocam-fov --detail``: what is drawn."""
    g = p.add_argument_group("content")
    g.add_argument("--hide", action="append", default=None, metavar="BODY,...",
                   help="do not draw these: jupiter, io, europa, ganymede, callisto, juno, stars, sun "
                   "(repeatable: --hide io --hide stars hides both)")
    g.add_argument("--light", action="append", default=None, metavar="PATH,...",
                   help="the light paths to enable, from sun,jupitershine,ioshine,hotspots,eclipses "
                   "(repeatable, the paths add up; default: the preset's, i.e. all)")
    g.add_argument("--trails", action="append", default=None, metavar="SPEC,...",
                   help="draw trails, each SPEC BODY or BODY:FRAME: the body's path relative to FRAME "
                   "(default jupiter), e.g. juno:io, juno:jupiter, io, europa; none for no trails "
                   "(repeatable; default: the preset's)")
    g.add_argument("--trail-span", default=None, metavar="PAST:FUTURE",
                   help="how much of each trail to draw before and after the instant, e.g. 30min:0s, "
                   "2h:30min (units s, min, h, d); the future is dashed; auto: a bound body's whole "
                   "orbit, 30 min of Juno passing a moon (default: the preset's)")
    g.add_argument("--labels", action=argparse.BooleanOptionalAction, default=None,
                   help="name the bodies beside their discs and mark Juno's closest approach to a moon "
                   "and perijove within 12 h (default: the preset's, off)")
    g.add_argument("--junocam-fov", action="store_true",
                   help="draw JunoCam's field of view from Juno and its footprint on the surfaces")
    add_detail_option(g)


def add_detail_option(p: Any) -> None:
    """``--detail on|off``: detail below the maps' resolution (read back with :func:`detail_from_args`)."""
    p.add_argument("--detail", choices=("on", "off"), default=None,
                   help="add texture and relief below the maps' resolution where a pixel covers less than "
                   "a map texel, keeping each texel's mean colour (docs/rendering.md 'Detail'; default on)")


def detail_from_args(args: argparse.Namespace) -> bool:
    """Whether ``--detail`` asks for the detail (default on)."""
    return getattr(args, "detail", None) != "off"
