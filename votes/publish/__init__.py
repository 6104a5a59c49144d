"""Publication: Datasette serving, its plugin, the CSV stream and the charts."""
