"""Templates → the HTML subset → the one document tree every writer reads."""
