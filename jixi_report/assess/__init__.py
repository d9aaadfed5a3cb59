"""Judging a year: the rules of docs/assessment-rules.md, applied to every row and project."""
