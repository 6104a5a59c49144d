"""The database: models, the one derivation of rows, the writer and its sinks, the views."""
