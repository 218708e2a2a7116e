"""Coordinates: converting GCJ-02 (the datum of Chinese web maps) to WGS84.

Chinese web map data (AMap/Gaode, Tencent, and the ``cpca`` division table
built from them) is published in GCJ-02, a datum that shifts WGS84 by a
non-linear, location-dependent offset of a few hundred metres. GPS, OSM,
GeoJSON and most GIS tools expect WGS84, so the map view converts.

Method: the GCJ-02 forward transform used by open-source converters
(:func:`wgs84_to_gcj02`, the public reconstruction of the algorithm, with
the Krasovsky 1940 ellipsoid ``a = 6378245``, ``e² = 0.006693421622965943``)
is inverted by fixed-point iteration in :func:`gcj02_to_wgs84`: start from
the GCJ-02 point, move by the difference between the forward transform of
the estimate and the target, until the step is below 1e-9 degrees (two to
four rounds). The inversion itself is exact to well under a millimetre with
respect to the forward formula; the remaining error against true WGS84 is
that of the public reconstruction, commonly reported as about 1–2 m. The
one-step shortcut (subtracting the offset computed at the GCJ-02 point)
would add another 1–2 m. Points outside the rough bounding box of China
are returned unchanged, as the forward transform leaves them unchanged.

>>> gcj02_to_wgs84(112.938884, 28.22808)   # the point cpca gives for 长沙市
(112.933445, 28.231596)
>>> wgs84_to_gcj02(*gcj02_to_wgs84(116.407394, 39.904211))   # round trip, 北京市
(116.407394, 39.904211)
>>> _forward(116.404, 39.915)   # the example pair published with open-source converters
(116.41024449916938, 39.91640428150164)
>>> gcj02_to_wgs84(2.35, 48.85)   # outside China: no offset
(2.35, 48.85)
"""
from __future__ import annotations

import math

_A = 6378245.0
_EE = 0.00669342162296594323


def outside_china(lon: float, lat: float) -> bool:
    """True where GCJ-02 applies no offset (outside a rough box around China).

    >>> outside_china(121.47, 31.23), outside_china(139.69, 35.69)
    (False, True)
    """
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of lon, lat) at a WGS84 point inside China."""
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += common + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon += common + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = dlon * 180.0 / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def _forward(lon: float, lat: float) -> tuple[float, float]:
    if outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def wgs84_to_gcj02(lon: float, lat: float, digits: int = 6) -> tuple[float, float]:
    """The GCJ-02 point of a WGS84 point (the public forward transform), rounded to ``digits``."""
    glon, glat = _forward(lon, lat)
    return round(glon, digits), round(glat, digits)


def gcj02_to_wgs84(lon: float, lat: float, digits: int = 6) -> tuple[float, float]:
    """The WGS84 point of a GCJ-02 point, by iterative inversion of the forward
    transform (see the module docstring), rounded to ``digits`` (6: about 0.1 m)."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = _forward(wlon, wlat)
        step_lon, step_lat = glon - lon, glat - lat
        wlon, wlat = wlon - step_lon, wlat - step_lat
        if abs(step_lon) < 1e-9 and abs(step_lat) < 1e-9:
            break
    return round(wlon, digits), round(wlat, digits)
