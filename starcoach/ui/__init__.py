"""The window: views (layout) and controllers (wiring). The only package that imports Qt."""
