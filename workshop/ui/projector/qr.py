"""The join QR code as inline SVG (no image file, nothing fetched)."""

from __future__ import annotations

import html

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(url: str, *, label: str) -> str:
    """An SVG of the QR code for ``url``, one path with a run per row of dark modules.

    Medium error correction: still read when the projector washes out a part of it.
    The quiet zone is the white padding of the box the SVG is put in.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="{html.escape(label)}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(runs)}"/></svg>')
