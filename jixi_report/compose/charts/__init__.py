"""The report's charts: what each shows (`specs`), drawn (`draw`, `output`) only when that
changed (`cache`)."""
