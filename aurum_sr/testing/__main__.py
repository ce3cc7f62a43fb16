"""``python -m aurum_sr.testing``: see :func:`aurum_sr.testing.command.serve`."""

from aurum_sr.testing.command import serve

if __name__ == "__main__":
    raise SystemExit(serve())
