"""What every layer stands on: errors, strict YAML, problems, house style, vocabulary, files."""
