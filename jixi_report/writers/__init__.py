"""Output writers, one module per format; `build` looks them up by name."""
