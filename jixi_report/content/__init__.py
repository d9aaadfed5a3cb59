"""The plan as data: strict YAML → typed, checked model (`load`), computed figures in prose."""
