"""GitHub as a place to report to: the sticky plan comment on a pull request, the drift issue,
the job summary and step outputs. Requests go through :mod:`aurum_sr.github.client`."""
