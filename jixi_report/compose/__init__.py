"""What each document shows: the plan's blocks and tables; the report's figures, tables, charts."""
