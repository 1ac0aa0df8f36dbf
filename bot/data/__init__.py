"""Price data: sources (bundled files, CSV folders, Yahoo) and the incremental updater."""
